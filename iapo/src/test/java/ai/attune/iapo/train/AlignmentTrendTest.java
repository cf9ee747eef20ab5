package ai.attune.iapo.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alignment does what it claims: with every outcome reward weight at 0 and λ = 1, the only
 * reward is −D, and over 30 steps (2 questions × 4 rollouts each, lr 5e-4) the attribution
 * divergence between the student and the fixed tiny teacher falls: its mean over the last 10
 * steps is well below its mean over the first 10, while the student keeps calling tools (a
 * rollout without a tool call is not penalised, so giving up tools would be the other way to
 * raise the reward).
 *
 * <p>Measured (CPU, one thread): 0.599 → 0.215. While choosing the settings (with an earlier
 * version of the demonstrations) seeds 7, 8 and 10 all fell at lr 5e-4 (by 0.18 to 0.49), seeds
 * 7 to 10 fell less at lr 3e-4, and at lr 1e-3 the student gave up tool calls within 35 steps.
 */
@Tag("slow")
class AlignmentTrendTest {
  static final int STEPS = 30;
  static final int WINDOW = 10;

  @TempDir
  Path tmp;

  @Test
  void theAttributionDivergenceToAFixedTeacherFalls() {
    String settings = """
        data: {eval: []}
        rewards: {correctness: 0.0, format: 0.0, tool_penalty: 0.0}
        alignment: {lambda: 1.0}
        optim: {lr: 5.0e-4}
        train: {seed: 8, steps: %d, prompts_per_step: 2, samples_per_eval: 0}
        output: {plots: false}
        """.formatted(STEPS);
    List<Double> kl = new ArrayList<>();
    List<Double> toolCalls = new ArrayList<>();
    try (IapoTrainer t = new IapoTrainer(TinyRuns.config(tmp.resolve("run"), settings))) {
      t.onStep(r -> {
        kl.add(r.metric("attribution_kl"));
        toolCalls.add(r.metric("tool_call_rate"));
        assertThat(r.metric("reward")).isZero();
      });
      t.train(false);
    }
    System.out.println("attribution_kl per step: " + kl);
    assertThat(kl).hasSize(STEPS).allSatisfy(d -> assertThat(d).isFinite());
    double first = mean(kl.subList(0, WINDOW));
    double last = mean(kl.subList(STEPS - WINDOW, STEPS));
    System.out.printf("attribution_kl mean of the first %d steps %.3f, of the last %d %.3f%n",
        WINDOW, first, WINDOW, last);
    assertThat(last).isLessThan(0.8 * first);
    assertThat(mean(toolCalls.subList(STEPS - WINDOW, STEPS))).isGreaterThan(0.8);
  }

  private static double mean(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }
}
