/**
 * {@code IapoTrainer}: YAML-configured IAPO training (warm start, rollouts, rewards, student and
 * teacher attribution, shaped rewards, policy update), evaluation, checkpoints with exact resume,
 * plots and rollout samples.
 */
package ai.attune.iapo.train;
