/**
 * The GRPO pieces: group advantages, the clipped surrogate, the k3 KL penalty, token masks,
 * entropy, and the loss aggregation types grpo / dr_grpo / dapo.
 */
package ai.attune.iapo.grpo;
