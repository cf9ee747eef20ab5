/**
 * Outcome rewards as plain functions of a {@code RolloutView}: answer correctness with a pluggable
 * {@code Judge}, format, tool-failure penalty; combined with weights in a {@code RewardSet}.
 */
package ai.attune.iapo.reward;
