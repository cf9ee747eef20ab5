package ai.attune.iapo.grpo;

import ai.attune.models.layers.Tensors;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GRPO's policy loss for one batch of rollouts, assembled from its pieces: per token {@code -min(ρ
 * A, clip(ρ) A) + β · k3}, over policy tokens only, aggregated by the configured {@link LossType}.
 *
 * <p>Call inside a {@code GradientCollector} with {@code logp} computed by the trainable policy;
 * every operation is out of place and every array lands in {@code logp}'s manager (the caller's
 * per-step manager). The returned metrics are read back as doubles.
 */
public final class GrpoLoss {
  private GrpoLoss() {}

  /**
   * The loss and its step metrics.
   *
   * @param loss the scalar to back-propagate
   * @param clip how often the clip bound was active over policy tokens
   * @param kl mean k3 over policy tokens; NaN when β = 0 (the reference is not evaluated)
   */
  public record Output(NDArray loss, ClippedSurrogate.ClipFractions clip, double kl) {
    /**
     * TRL's names: {@code clip_ratio/low_mean}, {@code .../high_mean}, {@code .../region_mean},
     * {@code kl} (only when the KL term is on).
     */
    public Map<String, Double> metrics() {
      Map<String, Double> out = new LinkedHashMap<>();
      out.put("clip_ratio/low_mean", clip.low());
      out.put("clip_ratio/high_mean", clip.high());
      out.put("clip_ratio/region_mean", clip.region());
      if (!Double.isNaN(kl)) {
        out.put("kl", kl);
      }
      return out;
    }
  }

  /**
   * Computes the loss.
   *
   * @param logp {@code [B, T]} log-probabilities of the sampled tokens under the policy
   * @param oldLogp {@code [B, T]} under the sampling policy ({@code logp.stopGradient()} when the
   *     batch is used for a single update)
   * @param refLogp {@code [B, T]} under the reference policy; may be null when β = 0
   * @param advantages {@code [B]} from {@link GroupAdvantages}
   * @param mask {@code [B, T]} policy-token mask from {@link TokenMasks}
   * @param maxCompletionLength the most policy tokens a rollout can have (max turns × max new
   *     tokens per turn): dr_grpo's constant; at least every row's policy tokens
   */
  public static Output compute(
      NDArray logp,
      NDArray oldLogp,
      NDArray refLogp,
      NDArray advantages,
      NDArray mask,
      GrpoLossConfig config,
      int maxCompletionLength) {
    Shapes.require2d("logp", logp);
    NDArray m = mask.toType(logp.getDataType(), false);
    NDArray ratio = ClippedSurrogate.ratio(logp, oldLogp, m);
    NDArray perToken =
        ClippedSurrogate.objective(ratio, advantages, config.epsilonLow(), config.epsilonHigh())
            .neg();
    double kl = Double.NaN;
    if (config.beta() != 0) {
      if (refLogp == null) {
        throw new IllegalArgumentException(
            "beta = " + config.beta() + " needs the reference log-probabilities");
      }
      NDArray k3 = KlPenalty.k3(logp, refLogp, m);
      perToken = perToken.add(Tensors.mulScalar(k3, config.beta()));
      kl = TokenMasks.maskedMean(k3.toType(DataType.FLOAT64, false), m);
    }
    NDArray loss = config.lossType().aggregate(perToken, m, maxCompletionLength);
    ClippedSurrogate.ClipFractions clip =
        ClippedSurrogate.clipFractions(
            ratio, advantages, m, config.epsilonLow(), config.epsilonHigh());
    return new Output(loss, clip, kl);
  }
}
