package ai.attune.iapo.train;

import static ai.attune.core.config.InvalidSettingException.nonNegative;
import static ai.attune.core.config.InvalidSettingException.require;

import ai.attune.core.config.InvalidSettingException;
import ai.attune.iapo.attribution.AlignmentConfig;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * {@code alignment}: the attribution penalty D of the shaped reward r = r_out − λ·D (iapo.md §3).
 * How D is measured ({@code method}, {@code steps}, {@code steps_per_pass}, {@code baseline},
 * {@code scores}, {@code normalization}, {@code target}, {@code divergence}, {@code epsilon}) is
 * {@link AlignmentConfig} and its {@link ai.attune.iapo.attribution.AttributionConfig}, bound flat
 * into this section with their defaults and help text; the others say how D enters the reward.
 *
 * @param lambda λ, the weight of D; >= 0; default 1.0 (the spec's starting point); must be 0
 *     without a teacher
 * @param noToolDivergence the D of a rollout without a tool call (it has no attribution): {@code
 *     group_max} (default: the largest D of its group, so skipping tools never lowers the penalty)
 *     or a number D_max >= 0; see {@link ShapedRewards}
 * @param placebo a control for experiments: shuffle D within each group before shaping (the reward
 *     values stay, their link to the rollouts goes); default false
 * @param config how D is measured
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AlignmentSection(
    double lambda,
    String noToolDivergence,
    boolean placebo,
    @JsonUnwrapped AlignmentConfig config) {

  public AlignmentSection {
    nonNegative(lambda, "alignment.lambda");
    noToolPolicy(noToolDivergence); // fields are not assigned yet in a compact constructor
    require(config != null, "alignment", "the attribution settings are missing");
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
}
