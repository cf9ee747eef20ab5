package ai.attune.iapo.train;

import static ai.attune.core.config.InvalidSettingException.finite;
import static ai.attune.core.config.InvalidSettingException.nonNegative;

import ai.attune.iapo.reward.AnswerCorrectnessReward;
import ai.attune.iapo.reward.FormatReward;
import ai.attune.iapo.reward.RewardSet;
import ai.attune.iapo.reward.ToolFailurePenalty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * {@code rewards}: the outcome reward r_out (iapo.md §2 step 2), a weighted sum of three functions,
 * each logged under its own name ({@code rewards/<name>/mean}).
 *
 * @param correctness weight of {@code accuracy}: 1 when the final answer matches the gold one, else
 *     0; default 1.0
 * @param format weight of {@code format}: 1 when the rollout ends with {@code FINAL ANSWER: ...}
 *     and all its tool-call blocks parsed; default 0
 * @param toolPenalty weight of {@code tool_penalty}: -1 per tool call that failed to parse or to
 *     run; default 0
 * @param numericTolerance relative tolerance of a numeric answer match (ChartQA's relaxed
 *     accuracy); default 0.05
 * @param exactMatch judge answers by normalised exact match instead (numbers too); default false
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RewardsSection(
    double correctness,
    double format,
    double toolPenalty,
    double numericTolerance,
    boolean exactMatch) {
  public RewardsSection {
    finite(correctness, "rewards.correctness");
    finite(format, "rewards.format");
    finite(toolPenalty, "rewards.tool_penalty");
    nonNegative(numericTolerance, "rewards.numeric_tolerance");
  }

  /** The three functions with their weights (a weight of 0 keeps a function for logging). */
  public RewardSet toRewardSet() {
    return RewardSet.builder()
        .add(judge(), correctness)
        .add(new FormatReward(), format)
        .add(new ToolFailurePenalty(1.0), toolPenalty)
        .build();
  }

  /** The answer judge of this config. */
  public AnswerCorrectnessReward judge() {
    return exactMatch
        ? AnswerCorrectnessReward.exactMatch()
        : AnswerCorrectnessReward.relaxed(numericTolerance);
  }
}
