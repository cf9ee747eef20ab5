package ai.attune.iapo.grpo;

import ai.djl.ndarray.NDArray;

/**
 * The per-token KL penalty to a frozen reference policy, with the "k3" estimator of Schulman (2020,
 * "Approximating KL Divergence", http://joschu.net/blog/kl-approx.html): with {@code r = π_ref(o_t)
 * / π_θ(o_t)}, {@code k3 = r - log r - 1 = exp(ref - logp) - (ref - logp) - 1}, an unbiased, always
 * non-negative, low-variance estimate of KL(π_θ ‖ π_ref) on samples from π_θ. GRPO adds {@code β ·
 * k3} to the per-token loss (Shao et al. 2024, eq. 4).
 */
public final class KlPenalty {
  private KlPenalty() {}

  /**
   * {@code k3} per token, {@code [B, T]}; exactly 0 at masked tokens.
   *
   * @param logp {@code [B, T]} current policy log-probabilities (may require a gradient)
   * @param refLogp {@code [B, T]} reference policy log-probabilities
   * @param mask {@code [B, T]}, 1 for policy tokens, in logp's dtype
   */
  public static NDArray k3(NDArray logp, NDArray refLogp, NDArray mask) {
    Shapes.requireSame("refLogp", refLogp, logp);
    Shapes.requireSame("mask", mask, logp);
    NDArray x = logp.sub(refLogp).mul(mask); // x = logp - ref = -(ref - logp)
    return x.neg().exp().add(x).sub(1);
  }
}
