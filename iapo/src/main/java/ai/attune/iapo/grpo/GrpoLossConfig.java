package ai.attune.iapo.grpo;

/**
 * The knobs of the GRPO policy loss, validated at construction. Build with {@link #builder}; its
 * defaults below are the ones the {@code grpo} section of an IAPO config takes (keys: the
 * snake_case forms below).
 *
 * @param epsilonLow {@code epsilon}: lower clip range, ρ is clipped at {@code 1 - epsilonLow}; in
 *     (0, 1); default 0.2 (PPO, GRPO, verl)
 * @param epsilonHigh {@code epsilon_high}: upper clip range, ρ clipped at {@code 1 + epsilonHigh};
 *     at least epsilonLow; default epsilonLow (DAPO's clip-higher uses 0.28)
 * @param beta {@code beta}: coefficient of the k3 KL penalty to the reference policy; >= 0; default
 *     0 (no reference model needed)
 * @param lossType {@code loss_type}: grpo, dr_grpo or dapo; default dapo (verl's default {@code
 *     token-mean}, the framework the IAPO paper used)
 * @param maxCompletionLength {@code max_completion_length}: generation limit in tokens, the
 *     constant of dr_grpo; >= 1
 * @param scaleRewards {@code scale_rewards}: divide advantages by the group's reward standard
 *     deviation (GRPO); false for Dr. GRPO; default true
 * @param advantageEpsilon {@code advantage_epsilon}: added to that standard deviation; >= 0;
 *     default 1e-6 (verl)
 */
public record GrpoLossConfig(
    double epsilonLow,
    double epsilonHigh,
    double beta,
    LossType lossType,
    int maxCompletionLength,
    boolean scaleRewards,
    double advantageEpsilon) {

  public GrpoLossConfig {
    if (!(epsilonLow > 0 && epsilonLow < 1)) {
      throw new IllegalArgumentException("epsilon must be in (0, 1), got " + epsilonLow);
    }
    if (!(epsilonHigh >= epsilonLow) || Double.isInfinite(epsilonHigh)) {
      throw new IllegalArgumentException(
          "epsilon_high must be finite and >= epsilon (" + epsilonLow + "), got " + epsilonHigh);
    }
    if (!(beta >= 0) || Double.isInfinite(beta)) {
      throw new IllegalArgumentException("beta must be finite and >= 0, got " + beta);
    }
    if (lossType == null) {
      throw new IllegalArgumentException("loss_type is required");
    }
    if (maxCompletionLength < 1) {
      throw new IllegalArgumentException(
          "max_completion_length must be >= 1, got " + maxCompletionLength);
    }
    if (!(advantageEpsilon >= 0) || Double.isInfinite(advantageEpsilon)) {
      throw new IllegalArgumentException(
          "advantage_epsilon must be finite and >= 0, got " + advantageEpsilon);
    }
  }

  /** A builder with the defaults; the max completion length must be set. */
  public static Builder builder(int maxCompletionLength) {
    return new Builder(maxCompletionLength);
  }

  /** Collects the fields; {@link #build} validates. */
  public static final class Builder {
    private final int maxCompletionLength;
    private double epsilonLow = 0.2;
    private Double epsilonHigh;
    private double beta;
    private LossType lossType = LossType.DAPO;
    private boolean scaleRewards = true;
    private double advantageEpsilon = 1e-6;

    private Builder(int maxCompletionLength) {
      this.maxCompletionLength = maxCompletionLength;
    }

    public Builder optEpsilon(double v) {
      epsilonLow = v;
      return this;
    }

    public Builder optEpsilonHigh(double v) {
      epsilonHigh = v;
      return this;
    }

    public Builder optBeta(double v) {
      beta = v;
      return this;
    }

    public Builder optLossType(LossType v) {
      lossType = v;
      return this;
    }

    public Builder optScaleRewards(boolean v) {
      scaleRewards = v;
      return this;
    }

    public Builder optAdvantageEpsilon(double v) {
      advantageEpsilon = v;
      return this;
    }

    public GrpoLossConfig build() {
      return new GrpoLossConfig(
          epsilonLow,
          epsilonHigh == null ? epsilonLow : epsilonHigh,
          beta,
          lossType,
          maxCompletionLength,
          scaleRewards,
          advantageEpsilon);
    }
  }
}
