package ai.attune.iapo.train;

import static ai.attune.core.config.InvalidSettingException.nonNegative;
import static ai.attune.core.config.InvalidSettingException.positive;
import static ai.attune.core.config.InvalidSettingException.require;

import ai.attune.core.config.ConfigYaml;
import ai.attune.core.config.InvalidSettingException;
import ai.attune.iapo.attribution.AlignmentConfig;
import ai.attune.iapo.attribution.AttributionConfig;
import ai.attune.iapo.attribution.AttributionConfig.Normalization;
import ai.attune.iapo.attribution.AttributionConfig.ScoreSign;
import ai.attune.iapo.attribution.AttributionConfig.TargetKind;
import ai.attune.iapo.attribution.Baseline;
import ai.attune.iapo.attribution.Divergence;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code alignment}: the attribution penalty D of the shaped reward r = r_out − λ·D (iapo.md §3).
 *
 * @param lambda λ, the weight of D; >= 0; default 1.0 (the spec's starting point); must be 0
 *     without a teacher
 * @param method {@code ig} (integrated gradients, default) or {@code gxi} (gradient×input)
 * @param steps Riemann steps m of integrated gradients; default 8 (must be 1 for gxi)
 * @param stepsPerPass interpolated inputs per forward/backward pass (memory bound; the result does
 *     not depend on it); default 8
 * @param baseline {@code zeros} (default), {@code pad} or {@code token:<id>}
 * @param divergence {@code kl_teacher_student} (default), {@code kl_student_teacher} or {@code
 *     jensen_shannon}
 * @param normalization block scores to a distribution: {@code abs_sum} (default) or {@code softmax}
 * @param scores token scores summed per block: {@code absolute} (default) or {@code signed}
 * @param target what is attributed: {@code tool_call} tokens (default) or the whole {@code
 *     response} turn
 * @param epsilon smoothing of both distributions before the divergence; default 1e-6
 * @param noToolDivergence the D of a rollout without a tool call (it has no attribution): {@code
 *     group_max} (default: the largest D of its group, so skipping tools never lowers the penalty)
 *     or a number D_max >= 0; see {@link ShapedRewards}
 * @param placebo a control for experiments: shuffle D within each group before shaping (the reward
 *     values stay, their link to the rollouts goes); default false
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AlignmentSection(
    double lambda,
    Method method,
    int steps,
    int stepsPerPass,
    String baseline,
    Divergence divergence,
    Normalization normalization,
    ScoreSign scores,
    TargetKind target,
    double epsilon,
    String noToolDivergence,
    boolean placebo) {

  /** The attribution method by its short name. */
  public enum Method {
    @JsonProperty("ig")
    IG,
    @JsonProperty("gxi")
    GXI
  }

  public AlignmentSection {
    nonNegative(lambda, "alignment.lambda");
    require(method != null, "alignment.method", "expected ig or gxi");
    positive(steps, "alignment.steps");
    positive(stepsPerPass, "alignment.steps_per_pass");
    require(
        method != Method.GXI || steps == 1,
        "alignment.steps",
        "gxi is integrated gradients with 1 step; set steps: 1 (got " + steps + ")");
    try {
      Baseline b =
          Baseline.parse(InvalidSettingException.requireText(baseline, "alignment.baseline"));
      require(
          method != Method.GXI || b.isZeros(), "alignment.baseline", "gxi uses the zero baseline");
    } catch (IllegalArgumentException e) {
      if (e instanceof InvalidSettingException) {
        throw e;
      }
      throw new InvalidSettingException("alignment.baseline", e.getMessage());
    }
    require(divergence != null, "alignment.divergence", "required field is missing");
    require(normalization != null, "alignment.normalization", "required field is missing");
    require(scores != null, "alignment.scores", "required field is missing");
    require(target != null, "alignment.target", "required field is missing");
    nonNegative(epsilon, "alignment.epsilon");
    noToolPolicy(noToolDivergence); // fields are not assigned yet in a compact constructor
  }

  /**
   * The defaults of the attribution and divergence settings, taken from the attribution code's own
   * ({@link AttributionConfig#defaults}, {@link AlignmentConfig#defaults}) so that each setting has
   * one default: {@code steps}, {@code steps_per_pass}, {@code baseline}, {@code scores}, {@code
   * normalization}, {@code target}, {@code divergence} and {@code epsilon}.
   */
  static ObjectNode domainDefaults() {
    AlignmentConfig d = AlignmentConfig.defaults();
    AttributionConfig a = d.attribution();
    ObjectNode o = ConfigYaml.MAPPER.createObjectNode();
    o.put("steps", a.steps());
    o.put("steps_per_pass", a.stepsPerPass());
    o.put("baseline", a.baseline().toString());
    o.set("scores", ConfigYaml.MAPPER.valueToTree(a.scores()));
    o.set("normalization", ConfigYaml.MAPPER.valueToTree(a.normalization()));
    o.set("target", ConfigYaml.MAPPER.valueToTree(a.target()));
    o.set("divergence", ConfigYaml.MAPPER.valueToTree(d.divergence()));
    o.put("epsilon", d.epsilon());
    return o;
  }

  /** {@link #noToolDivergence} parsed. */
  ShapedRewards.NoToolDivergence noToolPolicy() {
    return noToolPolicy(noToolDivergence);
  }

  private static ShapedRewards.NoToolDivergence noToolPolicy(String noToolDivergence) {
    try {
      return ShapedRewards.NoToolDivergence.parse(
          InvalidSettingException.requireText(noToolDivergence, "alignment.no_tool_divergence"));
    } catch (IllegalArgumentException e) {
      if (e instanceof InvalidSettingException) {
        throw e;
      }
      throw new InvalidSettingException("alignment.no_tool_divergence", e.getMessage());
    }
  }

  /** The alignment settings for {@code TeacherAlignment} / {@code BlockAttribution}. */
  public AlignmentConfig toConfig() {
    AttributionConfig a =
        method == Method.GXI
            ? AttributionConfig.gradientTimesInput()
            : AttributionConfig.integratedGradients(steps, Baseline.parse(baseline));
    a =
        a.withStepsPerPass(stepsPerPass)
            .withScores(scores)
            .withNormalization(normalization)
            .withTarget(target);
    return new AlignmentConfig(a, divergence, epsilon);
  }
}
