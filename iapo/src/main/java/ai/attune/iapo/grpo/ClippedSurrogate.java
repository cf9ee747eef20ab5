package ai.attune.iapo.grpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * PPO's clipped surrogate objective per token, as GRPO uses it.
 *
 * <p>Per token t of rollout i: {@code ρ = π_θ(o_t) / π_old(o_t) = exp(logp - logp_old)} and the
 * objective {@code min(ρ A_i, clip(ρ, 1 - ε_low, 1 + ε_high) A_i)} (Schulman et al. 2017 "Proximal
 * Policy Optimization Algorithms", eq. 7; GRPO, Shao et al. 2024, eq. 3, with the rollout's
 * advantage shared by all its tokens). A separate, larger ε_high is DAPO's "clip-higher" (Yu et al.
 * 2025, "DAPO: An Open-Source LLM Reinforcement Learning System at Scale", section 3.1); ε_high =
 * ε_low is the symmetric clip.
 *
 * <p>Masked tokens (prompt, tool output, padding) get ρ = 1 exactly: {@code logp - logp_old} is
 * multiplied by the mask before {@code exp}, so whatever finite values they hold cannot overflow
 * into the loss and their gradient is zero. All operations are out of place; the log-probabilities
 * may require a gradient.
 */
public final class ClippedSurrogate {
  private ClippedSurrogate() {}

  /** How often clipping was active, over the policy tokens. */
  public record ClipFractions(double low, double high, double region) {}

  /**
   * The importance ratio per token.
   *
   * @param logp {@code [B, T]} log-probabilities under the current policy
   * @param oldLogp {@code [B, T]} under the policy that sampled the rollouts (pass {@code
   *     logp.stopGradient()} for a single on-policy update)
   * @param mask {@code [B, T]}, 1 for policy tokens, 0 elsewhere, in logp's dtype
   */
  public static NDArray ratio(NDArray logp, NDArray oldLogp, NDArray mask) {
    Shapes.requireSame("oldLogp", oldLogp, logp);
    Shapes.requireSame("mask", mask, logp);
    return logp.sub(oldLogp).mul(mask).exp();
  }

  /**
   * The per-token objective {@code min(ρ A, clip(ρ, 1 - ε_low, 1 + ε_high) A)}, {@code [B, T]}.
   *
   * @param advantages {@code [B]}, one per rollout
   */
  public static NDArray objective(
      NDArray ratio, NDArray advantages, double epsilonLow, double epsilonHigh) {
    NDArray a = rowAdvantages(ratio, advantages);
    NDArray unclipped = ratio.mul(a);
    NDArray clipped = ratio.clip(1 - epsilonLow, 1 + epsilonHigh).mul(a);
    return unclipped.minimum(clipped);
  }

  /**
   * The fractions of policy tokens where the clip bound is the one taken: {@code low} where ρ &lt;
   * 1 - ε_low with A &lt; 0, {@code high} where ρ &gt; 1 + ε_high with A &gt; 0, {@code region}
   * either (TRL's {@code clip_ratio/low_mean}, {@code clip_ratio/high_mean}, {@code
   * clip_ratio/region_mean}). 0 when there are no policy tokens.
   */
  public static ClipFractions clipFractions(
      NDArray ratio, NDArray advantages, NDArray mask, double epsilonLow, double epsilonHigh) {
    NDArray r = ratio.stopGradient();
    NDArray a = rowAdvantages(r, advantages.stopGradient()).broadcast(r.getShape());
    NDArray m = mask.toType(DataType.FLOAT64, false);
    NDArray low = r.lt(1 - epsilonLow).logicalAnd(a.lt(0)).toType(DataType.FLOAT64, false);
    NDArray high = r.gt(1 + epsilonHigh).logicalAnd(a.gt(0)).toType(DataType.FLOAT64, false);
    double n = Math.max(1.0, m.sum().getDouble());
    double lo = low.mul(m).sum().getDouble() / n;
    double hi = high.mul(m).sum().getDouble() / n;
    return new ClipFractions(lo, hi, lo + hi);
  }

  private static NDArray rowAdvantages(NDArray ratio, NDArray advantages) {
    if (advantages.getShape().dimension() != 1
        || advantages.getShape().get(0) != ratio.getShape().get(0)) {
      throw new IllegalArgumentException(
          "advantages must be [B] = ["
              + ratio.getShape().get(0)
              + "], got "
              + advantages.getShape());
    }
    return advantages.toType(ratio.getDataType(), false).expandDims(1);
  }
}
