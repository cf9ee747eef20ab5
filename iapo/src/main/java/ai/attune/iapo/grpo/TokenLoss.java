package ai.attune.iapo.grpo;

import ai.attune.models.layers.Tensors;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * {@link GrpoLoss} over a flat list of policy tokens instead of a padded {@code [B, T]} batch: per
 * token {@code w · (-min(ρ A, clip(ρ) A) + β · k3)} summed, with the weights of {@link
 * LossType#tokenWeight}. A micro-batch's sum is its share of the batch loss, so accumulating the
 * gradients of all micro-batches gives the gradient of {@link GrpoLoss#compute} on the whole batch.
 * Clip and KL statistics come back as sums, to be pooled over micro-batches.
 */
public final class TokenLoss {
  private TokenLoss() {}

  /**
   * The micro-batch's loss and its statistics.
   *
   * @param loss scalar {@code Σ w · per-token loss}, to back-propagate
   * @param clipLow tokens where ρ &lt; 1 - ε_low with A &lt; 0 (the lower bound is taken)
   * @param clipHigh tokens where ρ &gt; 1 + ε_high with A &gt; 0
   * @param klSum Σ k3 over the tokens; NaN when β = 0
   */
  public record Output(NDArray loss, long clipLow, long clipHigh, double klSum) {}

  /**
   * Computes the loss of {@code N} policy tokens.
   *
   * @param logp {@code [N]} under the policy (may require a gradient)
   * @param oldLogp {@code [N]} under the sampling policy
   * @param refLogp {@code [N]} under the reference; null when β = 0
   * @param advantages {@code [N]}: each token's rollout's advantage
   * @param weights {@code [N]}: {@link LossType#tokenWeight} of each token
   */
  public static Output compute(
      NDArray logp,
      NDArray oldLogp,
      NDArray refLogp,
      NDArray advantages,
      NDArray weights,
      GrpoLossConfig config) {
    if (logp.getShape().dimension() != 1) {
      throw new IllegalArgumentException("logp must be [N], got " + logp.getShape());
    }
    Shapes.requireSame("oldLogp", oldLogp, logp);
    Shapes.requireSame("advantages", advantages, logp);
    Shapes.requireSame("weights", weights, logp);
    NDArray ratio = logp.sub(oldLogp).exp();
    NDArray clipped = ratio.clip(1 - config.epsilonLow(), 1 + config.epsilonHigh());
    NDArray perToken = ratio.mul(advantages).minimum(clipped.mul(advantages)).neg();
    double klSum = Double.NaN;
    if (config.beta() != 0) {
      if (refLogp == null) {
        throw new IllegalArgumentException(
            "beta = " + config.beta() + " needs the reference log-probabilities");
      }
      Shapes.requireSame("refLogp", refLogp, logp);
      NDArray x = logp.sub(refLogp);
      NDArray k3 = x.neg().exp().add(x).sub(1);
      perToken = perToken.add(Tensors.mulScalar(k3, config.beta()));
      klSum = k3.stopGradient().toType(DataType.FLOAT64, false).sum().getDouble();
    }
    NDArray loss = perToken.mul(weights).sum();
    NDArray r = ratio.stopGradient();
    long low =
        r.lt(1 - config.epsilonLow())
            .logicalAnd(advantages.lt(0))
            .toType(DataType.INT64, false)
            .sum()
            .getLong();
    long high =
        r.gt(1 + config.epsilonHigh())
            .logicalAnd(advantages.gt(0))
            .toType(DataType.INT64, false)
            .sum()
            .getLong();
    return new Output(loss, low, high, klSum);
  }
}
