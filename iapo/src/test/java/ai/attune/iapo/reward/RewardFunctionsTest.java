package ai.attune.iapo.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.iapo.tools.ToolCallStats;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class RewardFunctionsTest {
  static final String CALL =
      "<tool_call>\n{\"name\": \"crop\", \"arguments\": {\"bbox\": [0, 0,"
          + " 4, 4]}}\n</tool_call>";

  static RolloutView answered(String answer, String gold) {
    return RolloutView.ofCompletion(
        "What is the value of OSLO?", gold, "Looking at the bar.\n" + "FINAL ANSWER: " + answer);
  }

  static RolloutView withStats(ToolCallStats stats) {
    return new RolloutView("q", "1", "1", List.of(), stats, "");
  }

  @Test
  void ofCompletionParsesTheAnswerAndCountsMalformedCalls() {
    RolloutView r =
        RolloutView.ofCompletion(
            "q", "5", CALL + "\n<tool_call>{oops</tool_call>" + "\nFINAL ANSWER: 5<|im_end|>");
    assertThat(r.finalAnswer()).isEqualTo("5");
    assertThat(r.toolStats()).isEqualTo(new ToolCallStats(2, 1, 0));
    assertThat(RolloutView.ofCompletion("q", "5", "I do not know").finalAnswer()).isNull();
  }

  @Test
  void accuracyIsRelaxedByDefault() {
    List<RolloutView> rs =
        List.of(
            answered("42", "42"),
            answered("43.5", "42"),
            answered("45", "42"),
            answered("the Oslo", "OSLO"),
            RolloutView.ofCompletion("q", "42", "no answer here"));
    assertThat(AnswerCorrectnessReward.relaxed().score(rs)).containsExactly(1, 1, 0, 1, 0);
    assertThat(AnswerCorrectnessReward.exactMatch().score(rs)).containsExactly(1, 0, 0, 1, 0);
    assertThat(AnswerCorrectnessReward.relaxed(0.1).score(rs)).containsExactly(1, 1, 1, 1, 0);
  }

  @Test
  void aJudgeSeesQuestionAnswerAndGold() {
    List<String> seen = new ArrayList<>();
    Judge fake =
        (q, a, g) -> {
          seen.add(q + " | " + a + " | " + g);
          return a.equals("unsure") ? Double.NaN : a.length() / 10.0;
        };
    List<RolloutView> rs =
        List.of(
            answered("seven", "7"),
            answered("unsure", "7"),
            RolloutView.ofCompletion("q", "7", "nothing"));
    assertThat(new AnswerCorrectnessReward(fake).score(rs)).containsExactly(0.5, Double.NaN, 0);
    assertThat(seen)
        .containsExactly(
            "What is the value of OSLO? | seven | 7", "What is the value of OSLO? | unsure | 7");
    Judge broken = (q, a, g) -> 3;
    assertThatThrownBy(() -> new AnswerCorrectnessReward(broken).score(rs))
        .hasMessage("the judge scored rollout 0 3.0; a judge returns a score in [0, 1] or NaN");
    assertThat(Judge.exactMatch().judge("q", "1,000", "1000")).isEqualTo(1);
    assertThatThrownBy(() -> Judge.relaxed(-0.1)).hasMessageContaining("[0, 1)");
  }

  @Test
  void formatNeedsAnAnswerAndWellFormedCalls() {
    List<RolloutView> rs =
        List.of(
            RolloutView.ofCompletion("q", "1", CALL + "\nFINAL ANSWER: 1"),
            RolloutView.ofCompletion("q", "1", "<tool_call>{bad}</tool_call>\nFINAL ANSWER: 1"),
            RolloutView.ofCompletion("q", "1", CALL),
            RolloutView.ofCompletion("q", "1", "FINAL ANSWER:   "));
    assertThat(new FormatReward().score(rs)).containsExactly(1, 0, 0, 0);
  }

  @Test
  void penaltyCountsParseAndRunFailures() {
    List<RolloutView> rs =
        List.of(
            withStats(new ToolCallStats(3, 1, 1)),
            withStats(new ToolCallStats(2, 0, 0)),
            withStats(ToolCallStats.NONE),
            withStats(new ToolCallStats(1, 0, 1)));
    assertThat(new ToolFailurePenalty(0.25).score(rs)).containsExactly(-0.5, 0, 0, -0.25);
    assertThatThrownBy(() -> new ToolFailurePenalty(-1)).hasMessageContaining(">= 0");
    assertThatThrownBy(() -> new ToolCallStats(1, 1, 1)).hasMessageContaining("inconsistent");
  }
}
