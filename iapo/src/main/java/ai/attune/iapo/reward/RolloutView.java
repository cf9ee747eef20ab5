package ai.attune.iapo.reward;

import ai.attune.iapo.tools.ToolCallStats;
import ai.attune.models.qwen2vl.chat.ParsedAssistantTurn;
import ai.attune.models.qwen2vl.chat.ToolCallParser;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a reward function sees of one finished rollout.
 *
 * @param question the example's question
 * @param goldAnswer the example's reference answer
 * @param finalAnswer the answer the model gave ({@code FINAL ANSWER: ...}), or null if none
 * @param turns the model's assistant turns, parsed, in order
 * @param toolStats the rollout's tool calls: attempted, failed to parse, failed to run
 * @param completion the raw text the model generated, all turns joined (tool outputs left out)
 */
public record RolloutView(
    String question,
    String goldAnswer,
    String finalAnswer,
    List<ParsedAssistantTurn> turns,
    ToolCallStats toolStats,
    String completion) {

  public RolloutView {
    Objects.requireNonNull(question, "question");
    Objects.requireNonNull(goldAnswer, "goldAnswer");
    turns = List.copyOf(turns);
    Objects.requireNonNull(toolStats, "toolStats");
    Objects.requireNonNull(completion, "completion");
  }

  /**
   * A one-turn rollout whose tool calls were not executed: the completion is parsed, its final
   * answer taken, and its malformed calls counted as parse failures.
   */
  public static RolloutView ofCompletion(String question, String goldAnswer, String completion) {
    ParsedAssistantTurn turn = ToolCallParser.parse(completion);
    int malformed = turn.errors().size();
    ToolCallStats stats = new ToolCallStats(turn.calls().size() + malformed, malformed, 0);
    return new RolloutView(
        question, goldAnswer, turn.finalAnswer().orElse(null), List.of(turn), stats, completion);
  }

  public Optional<String> finalAnswerOpt() {
    return Optional.ofNullable(finalAnswer);
  }
}
