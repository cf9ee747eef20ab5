/**
 * What every module's tests share. {@link ai.attune.testsupport.FixturePaths} finds the fixtures.
 *
 * <p>Test tiers are JUnit 5 tags on the test class: {@code pure} (plain Java, no engine), {@code
 * engine} (starts the PyTorch engine on CPU), {@code e2e} (a tiny model trained or run end to end,
 * through a trainer or the command line), {@code slow} (over ~15 s or a statistical experiment,
 * left out of the default build) and {@code gpu} (needs a CUDA device). The README says how to run
 * each.
 */
package ai.attune.testsupport;
