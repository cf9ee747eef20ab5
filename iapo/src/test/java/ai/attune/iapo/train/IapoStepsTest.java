package ai.attune.iapo.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.params.Parameter;
import ai.attune.core.run.MetricsWriter;
import ai.attune.core.safetensors.SafetensorsFile;
import ai.attune.iapo.grpo.TokenMasks.TokenRole;
import ai.attune.iapo.rollout.Rollout;
import ai.attune.iapo.rollout.ToolCallRecord;
import ai.attune.iapo.rollout.TrajectoryImage;
import ai.attune.models.qwen2vl.chat.BlockKind;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several IAPO steps on the warm-started tiny Qwen2.5-VL and the synthetic charts, with the
 * perturbed tiny teacher: rollouts execute tool calls whose images are fed back, every reward term
 * and the attribution divergence are finite and logged, the student's trainable weights move, and
 * the run writes its metrics, evaluation, samples, plots and checkpoints without leaking arrays
 * from step to step. The warm start of the tiny student ({@link TinyRuns}) takes about 90 s on two
 * quiet cores, so slow-tier, with the other tests on the warm student.
 */
@Tag("slow")
class IapoStepsTest {
  static final List<String> LOGGED =
      List.of(
          "reward",
          "rewards/accuracy/mean",
          "rewards/format/mean",
          "rewards/tool_penalty/mean",
          "reward_shaped",
          "reward_std",
          "frac_reward_zero_std",
          "tool_call_rate",
          "attribution_kl",
          "clip_ratio/region_mean",
          "entropy",
          "loss",
          "grad_norm",
          "tokens_per_s",
          "step_time");

  @TempDir Path tmp;

  @Test
  void severalStepsExecuteToolsAlignAndUpdateTheStudent() throws Exception {
    Path out = tmp.resolve("run");
    IapoTrainConfig config = TinyRuns.config(out, "");
    List<StepResult> steps = new ArrayList<>();
    List<Integer> live = new ArrayList<>();
    try (IapoTrainer trainer = new IapoTrainer(config)) {
      trainer.onStep(
          r -> {
            steps.add(r);
            live.add(trainer.liveArrays());
          });
      trainer.train(false);
      assertWeightsMoved(trainer, TinyRuns.warmStudent().resolve("model.safetensors"));
    }
    assertThat(steps).hasSize(3);
    assertThat(live).as("arrays alive after each step").containsOnly(live.get(0));
    List<Rollout> all = steps.stream().flatMap(s -> s.rollouts().stream()).toList();
    assertThat(all).hasSize(3 * 2 * 4);
    assertFedBackImages(all);
    for (StepResult s : steps) {
      System.out.println("step " + s.step() + ": " + s.metrics());
    }
    List<ObjectNode> lines = MetricsWriter.readAll(out.resolve("metrics.jsonl"));
    assertThat(lines).hasSize(3);
    for (ObjectNode line : lines) {
      for (String m : LOGGED) {
        assertThat(MetricsWriter.number(line, m))
            .as("%s at step %s", m, line.get("step"))
            .isFinite();
      }
    }
    assertThat(MetricsWriter.readAll(out.resolve("eval.jsonl")))
        .hasSize(1)
        .allSatisfy(e -> assertThat(e.get("set").asText()).isEqualTo("test"));
    assertThat(out.resolve("plots/reward.png")).isNotEmptyFile();
    assertThat(out.resolve("plots/attribution_kl.png")).isNotEmptyFile();
    assertThat(out.resolve("rollouts/step-3/sample-0.md")).isNotEmptyFile();
    assertThat(out.resolve("rollouts/step-3/sample-0-input-0.png")).isNotEmptyFile();
    assertThat(out.resolve("checkpoints/step-000002/trainable.safetensors")).isNotEmptyFile();
    assertThat(out.resolve("checkpoints/step-000003/optimizer.safetensors")).isNotEmptyFile();
  }

  /** Some tool call ran and returned an image, which sits in the sequence as tool output. */
  private static void assertFedBackImages(List<Rollout> all) {
    int fedBack = 0;
    for (Rollout r : all) {
      for (ToolCallRecord c : r.toolCalls()) {
        if (c.ok() && c.imageIndex() >= 0) {
          TrajectoryImage image = r.images().get(c.imageIndex());
          assertThat(image.block()).isEqualTo(BlockKind.TOOL_OUTPUT);
          assertThat(image.tokenStart()).isGreaterThan(c.tokenEnd());
          for (int t = image.tokenStart(); t < image.tokenEnd(); t++) {
            assertThat(r.roles()[t]).isEqualTo(TokenRole.TOOL_OUTPUT);
          }
          fedBack++;
        }
      }
    }
    System.out.println(fedBack + " tool-call images fed back in " + all.size() + " rollouts");
    assertThat(fedBack).as("executed tool calls whose image was fed back").isPositive();
  }

  private static void assertWeightsMoved(IapoTrainer trainer, Path before) {
    int moved = 0;
    int trainable = 0;
    try (SafetensorsFile f = SafetensorsFile.open(before)) {
      for (Parameter p : trainer.models().trainable()) {
        float[] was = f.read(p.name()).toFloats();
        float[] now = p.value().toFloatArray();
        trainable++;
        if (!java.util.Arrays.equals(was, now)) {
          moved++;
        }
      }
    }
    assertThat(trainable).isPositive();
    assertThat(moved).as("trainable parameters that changed").isGreaterThan(trainable / 2);
  }
}
