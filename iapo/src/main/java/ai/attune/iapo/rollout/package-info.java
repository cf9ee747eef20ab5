/**
 * Multi-turn tool-using rollouts: {@code RolloutRunner} samples G rollouts per example through the
 * generator, executes tool calls and feeds their text and images back; {@code Rollout} keeps the
 * tokens, masks, old log-probabilities and input blocks the losses need.
 */
package ai.attune.iapo.rollout;
