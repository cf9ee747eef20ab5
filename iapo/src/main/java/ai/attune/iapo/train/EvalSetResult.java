package ai.attune.iapo.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One evaluation set's results: one rollout per question (greedy by default).
 *
 * @param name the set's name (its file name without {@code .jsonl})
 * @param questions how many questions
 * @param accuracy the mean answer-correctness score (0 for a rollout without a final answer)
 * @param stats tool use of the rollouts
 */
public record EvalSetResult(String name, int questions, double accuracy, RolloutStats stats) {

  /** A set's name from its file: {@code charts/test.jsonl} gives {@code test}. */
  public static String nameOf(Path file) {
    return file.getFileName().toString().replaceFirst("\\.jsonl?$", "");
  }

  /**
   * {@code set}, {@code questions}, {@code accuracy}, {@code tool_call_rate}, {@code
   * tool_success_rate}, {@code completion_length}.
   */
  public Map<String, Object> metrics() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("set", name);
    m.put("questions", questions);
    m.put("accuracy", accuracy);
    m.put("tool_call_rate", stats.toolCallRate());
    m.put("tool_success_rate", stats.toolSuccessRate());
    m.put("completion_length", stats.meanPolicyTokens());
    return m;
  }
}
