package ai.attune.iapo.attribution;

import java.util.Locale;
import java.util.Objects;

/**
 * How {@link BlockAttribution} attributes a rollout's target to its input blocks (iapo.md §3). The
 * defaults are the spec's: 8-step integrated gradients from a zero baseline, absolute token scores,
 * block sums over their total, the tool-call tokens as the target.
 *
 * @param method integrated gradients or gradient×input
 * @param steps the Riemann steps m of integrated gradients (α_k = k/m, k = 1..m); 1 for
 *     gradient×input
 * @param stepsPerPass at most this many interpolated inputs per forward/backward pass (bounds the
 *     memory of one pass; the result does not depend on it); {@code steps} runs them all in one
 *     pass
 * @param baseline the reference input e' of integrated gradients; zeros for gradient×input
 * @param scores absolute or signed token scores summed into the blocks
 * @param normalization how block sums become a distribution
 * @param target which tokens' log-probability is explained
 */
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

  /** The attribution method. */
  public enum Method {
    /**
     * IG_j = (e_j − e'_j) · (1/m) Σ_k ∇_{e_j} f(e' + (k/m)(e − e')), summed over the hidden axis.
     */
    INTEGRATED_GRADIENTS,
    /** e_j · ∇_{e_j} f(e): integrated gradients with m = 1 and a zero baseline. */
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
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(baseline, "baseline");
    Objects.requireNonNull(scores, "scores");
    Objects.requireNonNull(normalization, "normalization");
    Objects.requireNonNull(target, "target");
    if (steps < 1) {
      throw new IllegalArgumentException("attribution steps must be >= 1, got " + steps);
    }
    if (stepsPerPass < 1) {
      throw new IllegalArgumentException(
          "attribution stepsPerPass must be >= 1, got " + stepsPerPass);
    }
    if (method == Method.GRADIENT_X_INPUT && (steps != 1 || !baseline.isZeros())) {
      throw new IllegalArgumentException(
          "gradient_x_input is integrated gradients with 1 step"
              + " and a zero baseline; got steps "
              + steps
              + " and baseline "
              + baseline
              + " (use integrated_gradients for other settings)");
    }
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
