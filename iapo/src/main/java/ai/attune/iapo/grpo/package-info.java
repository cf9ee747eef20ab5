/**
 * The GRPO pieces: group advantages, the clipped surrogate, the k3 KL penalty, token masks,
 * entropy, the loss aggregation types grpo / dr_grpo / dapo, and {@link
 * ai.attune.iapo.grpo.PolicyUpdate}, the update that puts them together (micro-batches with
 * gradient accumulation, the head applied to the policy tokens in chunks, optional recomputation, μ
 * updates per batch, the AdamW step).
 */
package ai.attune.iapo.grpo;
