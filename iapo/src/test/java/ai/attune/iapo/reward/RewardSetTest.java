package ai.attune.iapo.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.attune.iapo.tools.ToolCallStats;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class RewardSetTest {
  static final double NAN = Double.NaN;

  static RolloutView rollout(String answer, int failed) {
    return new RolloutView(
        "q", "10", answer, List.of(), new ToolCallStats(failed + 1, 0, failed), "");
  }

  /** Scores only rollouts whose answer is a number; NaN for the others. */
  static final RewardFunction NUMERIC_ONLY =
      RewardFunction.of(
          "numeric_only",
          r ->
              r.finalAnswer() != null && AnswerMatch.parseNumber(r.finalAnswer()) != null
                  ? 0.5
                  : NAN);

  final RewardSet set =
      RewardSet.builder()
          .add(AnswerCorrectnessReward.relaxed(), 1.0)
          .add(new ToolFailurePenalty(0.1), 2.0)
          .add(NUMERIC_ONLY, 4.0)
          .build();

  final List<RolloutView> batch =
      List.of(rollout("10", 0), rollout("ten", 1), rollout(null, 2), rollout("12", 0));

  @Test
  void totalIsTheWeightedSumWithNanAsZero() {
    RewardScores s = set.score(batch);
    assertThat(s.names()).containsExactly("accuracy", "tool_penalty", "numeric_only");
    assertThat(s.scores("accuracy")).containsExactly(1, 0, 0, 0);
    assertThat(s.scores("tool_penalty")).containsExactly(0, -0.1, -0.2, 0);
    assertThat(s.scores("numeric_only")).containsExactly(0.5, NAN, NAN, 0.5);
    assertThat(s.total()).containsExactly(new double[] {1 + 2.0, -0.2, -0.4, 2.0}, within(1e-12));
  }

  @Test
  void metricsAreLoggedPerNameWithNanLeftOutOfTheMean() {
    Map<String, Double> m = set.score(batch).metrics();
    assertThat(m.keySet())
        .containsExactly(
            "reward",
            "rewards/accuracy/mean",
            "rewards/accuracy/std",
            "rewards/tool_penalty/mean",
            "rewards/tool_penalty/std",
            "rewards/numeric_only/mean",
            "rewards/numeric_only/std");
    assertThat(m.get("reward")).isCloseTo((3.0 - 0.2 - 0.4 + 2.0) / 4, within(1e-12));
    assertThat(m.get("rewards/accuracy/mean")).isEqualTo(0.25);
    assertThat(m.get("rewards/accuracy/std")).isCloseTo(0.5, within(1e-12));
    assertThat(m.get("rewards/tool_penalty/mean")).isCloseTo(-0.075, within(1e-12));
    assertThat(m.get("rewards/numeric_only/mean")).isEqualTo(0.5);
    assertThat(m.get("rewards/numeric_only/std")).isEqualTo(0.0);
    RewardScores allNan =
        RewardSet.builder().add(NUMERIC_ONLY, 1).build().score(List.of(rollout(null, 0)));
    assertThat(allNan.metrics().get("rewards/numeric_only/mean")).isNaN();
    assertThat(allNan.total()).containsExactly(0);
  }

  @Test
  void badFunctionsAndDuplicatesAreErrors() {
    RewardFunction shortOne =
        new RewardFunction() {
          @Override
          public String name() {
            return "short";
          }

          @Override
          public double[] score(List<RolloutView> rollouts) {
            return new double[1];
          }
        };
    assertThatThrownBy(() -> RewardSet.builder().add(shortOne, 1).build().score(batch))
        .hasMessage("reward function 'short' returned 1 scores for 4 rollouts");
    assertThatThrownBy(
            () -> RewardSet.builder().add(new FormatReward(), 1).add(new FormatReward(), 2))
        .hasMessage("two reward functions named 'format'");
    assertThatThrownBy(() -> RewardSet.builder().add(new FormatReward(), NAN))
        .hasMessageContaining("must be finite");
    RewardFunction inf = RewardFunction.of("inf", r -> Double.POSITIVE_INFINITY);
    assertThatThrownBy(() -> RewardSet.builder().add(inf, 1).build().score(batch))
        .hasMessage("reward function 'inf' gave rollout 0 an infinite score");
  }
}
