/**
 * {@code GrzoTrainer}: YAML-configured MeZO/GRZO training with checkpoints, exact resume, metrics,
 * seed logs, plots and seed-log replay.
 */
package ai.attune.grzo.train;
