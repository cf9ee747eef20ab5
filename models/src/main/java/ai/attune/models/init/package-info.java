/**
 * {@code RandomInit}: seeded random weights for models built without a checkpoint (benchmarks and
 * tests).
 */
package ai.attune.models.init;
