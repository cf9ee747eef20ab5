/**
 * {@code grzo compare}: GRZO against MeZO (or any optimizers) on one grid of learning rates and
 * seeds, each run trained from the same base config; {@link
 * ai.attune.grzo.compare.OptimizerComparison} runs the grid, {@link
 * ai.attune.grzo.compare.RunOutcome} scores a run (best dev metric, steps to the targets) and
 * {@link ai.attune.grzo.compare.ComparisonTable} reports the medians per optimizer and learning
 * rate.
 */
package ai.attune.grzo.compare;
