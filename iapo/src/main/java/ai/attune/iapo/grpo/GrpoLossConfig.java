package ai.attune.iapo.grpo;

import static ai.attune.core.config.InvalidSettingException.nonNegative;
import static ai.attune.core.config.InvalidSettingException.require;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The knobs of the GRPO policy loss (iapo.md §2 steps 6–7), validated at construction. Build with
 * {@link #builder}, or bound by Jackson straight from the {@code grpo} section of an IAPO config:
 * its keys are the snake_case forms below ({@code epsilon} for {@code epsilonLow}), their defaults
 * those of the builder, and an error is an {@link ai.attune.core.config.InvalidSettingException}
 * naming the key. The generation limit dr_grpo divides by is not a setting: it follows from the
 * rollouts ({@link GrpoLoss#compute}, {@link PolicyUpdate}).
 *
 * @param epsilonLow ({@code epsilon}) lower clip range, ρ is clipped at {@code 1 - epsilonLow}; in
 *     (0, 1); default 0.2 (PPO, GRPO, verl)
 * @param epsilonHigh ({@code epsilon_high}) upper clip range, ρ clipped at {@code 1 + epsilonHigh};
 *     at least epsilonLow; absent (null) = epsilonLow (DAPO's clip-higher uses 0.28)
 * @param beta ({@code beta}) weight of the k3 KL penalty to the frozen reference policy; >= 0;
 *     default 0 (no reference model needed)
 * @param lossType ({@code loss_type}) grpo, dr_grpo or dapo; default dapo (verl's default {@code
 *     token-mean}, the framework the IAPO paper used)
 * @param scaleRewards ({@code scale_rewards}) divide advantages by the group's reward standard
 *     deviation (GRPO); false for Dr. GRPO; default true
 * @param advantageEpsilon ({@code advantage_epsilon}) added to that standard deviation before
 *     dividing; >= 0; default 1e-6 (verl)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GrpoLossConfig(
    @JsonProperty("epsilon") double epsilonLow,
    double epsilonHigh,
    double beta,
    LossType lossType,
    boolean scaleRewards,
    double advantageEpsilon) {

  public GrpoLossConfig {
    require(epsilonLow > 0 && epsilonLow < 1, "epsilon", "must be in (0, 1), got " + epsilonLow);
    require(
        epsilonHigh >= epsilonLow && Double.isFinite(epsilonHigh),
        "epsilon_high",
        "must be finite and >= epsilon (" + epsilonLow + "), got " + epsilonHigh);
    nonNegative(beta, "beta");
    require(lossType != null, "loss_type", "expected one of grpo, dr_grpo, dapo");
    nonNegative(advantageEpsilon, "advantage_epsilon");
  }

  /** The settings as a config file gives them: a null {@code epsilonHigh} is {@code epsilon}. */
  @JsonCreator
  static GrpoLossConfig fromSettings(
      @JsonProperty("epsilon") double epsilon,
      @JsonProperty("epsilon_high") Double epsilonHigh,
      @JsonProperty("beta") double beta,
      @JsonProperty("loss_type") LossType lossType,
      @JsonProperty("scale_rewards") boolean scaleRewards,
      @JsonProperty("advantage_epsilon") double advantageEpsilon) {
    return new GrpoLossConfig(
        epsilon,
        epsilonHigh == null ? epsilon : epsilonHigh,
        beta,
        lossType,
        scaleRewards,
        advantageEpsilon);
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults. */
  public static GrpoLossConfig defaults() {
    return builder().build();
  }

  /** Collects the fields; {@link #build} validates. */
  public static final class Builder {
    private double epsilonLow = 0.2;
    private Double epsilonHigh;
    private double beta;
    private LossType lossType = LossType.DAPO;
    private boolean scaleRewards = true;
    private double advantageEpsilon = 1e-6;

    private Builder() {}

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
      return fromSettings(epsilonLow, epsilonHigh, beta, lossType, scaleRewards, advantageEpsilon);
    }
  }
}
