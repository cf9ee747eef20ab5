package ai.attune.iapo.train;

import ai.attune.iapo.rollout.Rollout;
import ai.attune.iapo.rollout.RolloutEnd;
import ai.attune.iapo.rollout.ToolCallRecord;
import ai.attune.iapo.tools.ToolCallStats;
import java.io.Serializable;
import java.util.List;

/**
 * One evaluation question's result: what its set's {@link EvalSetResult} is combined from, what the
 * model answered and called, and (when asked) its rollout rendered for reading. Serializable, so
 * that a distributed evaluation's executors can send it to the driver.
 *
 * @param exampleId the question's id
 * @param score the judge's score of its final answer (0 without one)
 * @param finalAnswer the final answer the model gave, or null
 * @param end how the rollout ended
 * @param toolCalls tool-call attempts
 * @param toolCallsSucceeded attempts that parsed and ran without error
 * @param policyTokens tokens the model generated
 * @param completion the text the model generated, all turns joined (tool outputs left out)
 * @param toolCallTexts each attempt's {@code <tool_call>} block, in order
 * @param sample the rollout rendered for reading, or null when it is not a sample
 */
public record QuestionResult(
    String exampleId,
    double score,
    String finalAnswer,
    RolloutEnd end,
    int toolCalls,
    int toolCallsSucceeded,
    long policyTokens,
    String completion,
    List<String> toolCallTexts,
    RolloutSamples.Rendered sample)
    implements Serializable {

  public QuestionResult {
    toolCallTexts = List.copyOf(toolCallTexts);
  }

  /** The result of rollout {@code r}, scored {@code score}. */
  public static QuestionResult of(Rollout r, double score, RolloutSamples.Rendered sample) {
    ToolCallStats calls = r.toolStats();
    return new QuestionResult(
        r.exampleId(),
        score,
        r.finalAnswer(),
        r.end(),
        calls.attempted(),
        calls.succeeded(),
        r.trajectory().policyTokens(),
        r.view().completion(),
        r.toolCalls().stream().map(ToolCallRecord::text).toList(),
        sample);
  }
}
