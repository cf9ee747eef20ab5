package ai.attune.iapo.attribution;

import static ai.attune.core.config.InvalidSettingException.positive;
import static ai.attune.core.config.InvalidSettingException.require;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Locale;

/**
 * How {@link BlockAttribution} attributes a rollout's target to its input blocks (iapo.md §3),
 * validated at construction. The defaults ({@link #defaults}) are the spec's: 8-step integrated
 * gradients from a zero baseline, absolute token scores, block sums over their total, the tool-call
 * tokens as the target. Bound by Jackson straight from the {@code alignment} section of an IAPO
 * config (inside {@link AlignmentConfig}): its keys are the snake_case forms below, and an error is
 * an {@link ai.attune.core.config.InvalidSettingException} naming the key.
 *
 * @param method ({@code method}) {@code ig} (integrated gradients, default) or {@code gxi}
 *     (gradient×input: integrated gradients with 1 step from the zero baseline)
 * @param steps ({@code steps}) the Riemann steps m of integrated gradients (α_k = k/m, k = 1..m);
 *     >= 1; default 8; 1 for gxi
 * @param stepsPerPass ({@code steps_per_pass}) at most this many interpolated inputs per
 *     forward/backward pass (bounds the memory of one pass; the result does not depend on it); >=
 *     1; default 8
 * @param baseline ({@code baseline}) the reference input e' of integrated gradients: {@code zeros}
 *     (default), {@code pad} (the pad token's embedding) or {@code token:<id>}; zeros for gxi
 * @param scores ({@code scores}) token scores summed per block: {@code absolute} (default) or
 *     {@code signed}
 * @param normalization ({@code normalization}) how block sums become a distribution: {@code
 *     abs_sum} (default) or {@code softmax}
 * @param target ({@code target}) what is attributed: the {@code tool_call} tokens (default) or the
 *     whole {@code response} turn
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AttributionConfig(
    Method method,
    int steps,
    int stepsPerPass,
    Baseline baseline,
    ScoreSign scores,
    Normalization normalization,
    TargetKind target) {

  /** The default number of integrated-gradient steps. */
  public static final int DEFAULT_STEPS = 8;

  /** The attribution method; a config names it {@code ig} or {@code gxi}. */
  public enum Method {
    /**
     * IG_j = (e_j − e'_j) · (1/m) Σ_k ∇_{e_j} f(e' + (k/m)(e − e')), summed over the hidden axis.
     */
    @JsonProperty("ig")
    INTEGRATED_GRADIENTS,
    /** e_j · ∇_{e_j} f(e): integrated gradients with m = 1 and a zero baseline. */
    @JsonProperty("gxi")
    GRADIENT_X_INPUT;

    /** Parses {@code integrated_gradients|gradient_x_input}. */
    public static Method parse(String text) {
      return Enums.parse(Method.class, "attribution method", text);
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Which sign of the token scores enters the block sums. */
  public enum ScoreSign {
    /** |score| per token (default): evidence for and against both count as use of the block. */
    ABSOLUTE,
    /** The score as computed: opposite contributions inside a block cancel. */
    SIGNED;

    /** Parses {@code absolute|signed}. */
    public static ScoreSign parse(String text) {
      return Enums.parse(ScoreSign.class, "token score sign", text);
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How the block sums s_b become a distribution over the blocks present. */
  public enum Normalization {
    /** p_b = |s_b| / Σ_c |s_c| (default); uniform when every block sum is 0. */
    ABS_SUM,
    /** p_b = exp(s_b) / Σ_c exp(s_c), computed with the maximum subtracted. */
    SOFTMAX;

    /** Parses {@code abs_sum|softmax}. */
    public static Normalization parse(String text) {
      return Enums.parse(Normalization.class, "normalisation", text);
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The tokens whose summed log-probability is the attributed target. */
  public enum TargetKind {
    /** The tool call(s) of the rollout turn (default). */
    TOOL_CALL,
    /** The whole response. */
    RESPONSE;

    /** Parses {@code tool_call|response}. */
    public static TargetKind parse(String text) {
      return Enums.parse(TargetKind.class, "attribution target", text);
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Validates every field. */
  public AttributionConfig {
    require(method != null, "method", "expected ig or gxi");
    positive(steps, "steps");
    positive(stepsPerPass, "steps_per_pass");
    require(baseline != null, "baseline", "required field is missing");
    require(
        method != Method.GRADIENT_X_INPUT || steps == 1,
        "steps",
        "gxi is integrated gradients with 1 step; set steps: 1 (got " + steps + ")");
    require(
        method != Method.GRADIENT_X_INPUT || baseline.isZeros(),
        "baseline",
        "gxi uses the zero baseline, got " + baseline);
    require(scores != null, "scores", "required field is missing");
    require(normalization != null, "normalization", "required field is missing");
    require(target != null, "target", "required field is missing");
  }

  /** The spec's defaults: 8-step IG, zero baseline, absolute, abs_sum, tool-call target. */
  public static AttributionConfig defaults() {
    return integratedGradients(DEFAULT_STEPS, Baseline.zeros());
  }

  /** Integrated gradients with the other settings at their defaults, all steps in one pass. */
  public static AttributionConfig integratedGradients(int steps, Baseline baseline) {
    return new AttributionConfig(
        Method.INTEGRATED_GRADIENTS,
        steps,
        steps,
        baseline,
        ScoreSign.ABSOLUTE,
        Normalization.ABS_SUM,
        TargetKind.TOOL_CALL);
  }

  /** Gradient×input with the other settings at their defaults. */
  public static AttributionConfig gradientTimesInput() {
    return new AttributionConfig(
        Method.GRADIENT_X_INPUT,
        1,
        1,
        Baseline.zeros(),
        ScoreSign.ABSOLUTE,
        Normalization.ABS_SUM,
        TargetKind.TOOL_CALL);
  }

  public AttributionConfig withScores(ScoreSign sign) {
    return new AttributionConfig(
        method, steps, stepsPerPass, baseline, sign, normalization, target);
  }

  public AttributionConfig withNormalization(Normalization n) {
    return new AttributionConfig(method, steps, stepsPerPass, baseline, scores, n, target);
  }

  public AttributionConfig withTarget(TargetKind kind) {
    return new AttributionConfig(
        method, steps, stepsPerPass, baseline, scores, normalization, kind);
  }

  public AttributionConfig withStepsPerPass(int n) {
    return new AttributionConfig(method, steps, n, baseline, scores, normalization, target);
  }
}
