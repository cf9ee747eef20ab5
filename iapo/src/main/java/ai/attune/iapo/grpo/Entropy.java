package ai.attune.iapo.grpo;

import ai.djl.ndarray.NDArray;

/**
 * The entropy of the policy's next-token distribution, {@code H = -Σ_v p_v log p_v} with {@code p =
 * softmax(logits)}, logged as {@code entropy} (over policy tokens) to watch for collapse.
 */
public final class Entropy {
  private Entropy() {}

  /** Entropy over the last axis: logits {@code [..., V]} give {@code [...]}, in nats. */
  public static NDArray fromLogits(NDArray logits) {
    int last = logits.getShape().dimension() - 1;
    NDArray logp = logits.logSoftmax(last);
    return logp.exp().mul(logp).sum(new int[] {last}).neg();
  }
}
