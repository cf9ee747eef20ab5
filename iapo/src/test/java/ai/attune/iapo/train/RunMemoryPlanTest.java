package ai.attune.iapo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.iapo.memory.MemoryPlan;
import ai.attune.testsupport.FixturePaths;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory plan of the paper's config (3B student, 7B teacher) from the hub shapes, and the
 * trainer's refusal of a config over its budget.
 */
@Tag("e2e")
class RunMemoryPlanTest {
  static final Path CONFIGS = Path.of("").toAbsolutePath().getParent().resolve("configs");

  static long bytes(MemoryPlan plan, String component) {
    return plan.components().stream()
        .filter(c -> c.name().equals(component))
        .findFirst()
        .orElseThrow()
        .bytes();
  }

  @Test
  void paperConfigCountsTheHubModelsAndFits80GbButNot70() {
    IapoTrainConfig c = IapoTrainConfig.read(CONFIGS.resolve("iapo-qwen2.5-vl-3b-7b.yaml"));
    MemoryPlan plan = RunMemoryPlan.of(c, 80_000_000_000L, CONFIGS.resolve("shapes"));
    System.out.print(plan.render());
    assertThat(bytes(plan, "student weights")).isEqualTo(3_754_622_976L * 2);
    assertThat(bytes(plan, "teacher weights")).isEqualTo(8_292_166_656L * 2);
    // full fine-tuning of the language model: everything but the 668.7M-parameter vision tower
    assertThat(bytes(plan, "optimizer state (AdamW)")).isEqualTo(3_085_938_688L * 12);
    assertThat(bytes(plan, "gradients")).isEqualTo(3_085_938_688L * 2);
    assertThat(plan.fits()).isTrue();
    assertThat(RunMemoryPlan.of(c, 70_000_000_000L, CONFIGS.resolve("shapes")).fits()).isFalse();
  }

  @Test
  void updateActivationsGrowWithTheMicroBatch(@TempDir Path out) {
    String yaml =
        """
        student: {dir: %s}
        data: {train: x.jsonl}
        alignment: {lambda: 0}
        optim: {lr: 1.0e-4}
        output: {dir: %s}
        grpo: {micro_batch_size: %d}
        train: {prompts_per_step: 4}
        """;
    Path shapes = CONFIGS.resolve("shapes");
    long[] update = new long[3];
    int[] sizes = {1, 2, 4};
    for (int i = 0; i < sizes.length; i++) {
      IapoTrainConfig c =
          IapoTrainConfig.parse(
              yaml.formatted(shapes.resolve("Qwen2.5-VL-3B-Instruct"), out, sizes[i]), "test");
      update[i] = bytes(RunMemoryPlan.of(c, 80_000_000_000L, shapes), "policy update activations");
    }
    long perRollout = update[1] - update[0];
    assertThat(perRollout).isPositive();
    assertThat(update[2] - update[1]).isEqualTo(2 * perRollout); // linear in the micro-batch
  }

  @Test
  void trainerRefusesAConfigOverItsMemoryBudgetWithTheNumbers(@TempDir Path out) {
    Path charts = FixturePaths.of("charts-synth");
    IapoTrainConfig c =
        IapoTrainConfig.parse(
            """
        student: {dir: %s}
        teacher: {dir: %s}
        data: {train: %s}
        optim: {lr: 1.0e-4}
        train: {gpu_memory_gb: 0.001}
        output: {dir: %s}
        """
                .formatted(
                    FixturePaths.of("qwen2_5_vl-tiny"),
                    TinyRuns.teacher(),
                    charts.resolve("train.jsonl"),
                    out),
            "test");
    assertThatThrownBy(() -> new IapoTrainer(c).close())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("but 0.0 GB are available")
        .hasMessageContaining("student weights")
        .hasMessageContaining("DOES NOT FIT");
  }
}
