package ai.attune.iapo.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.params.Parameter;
import ai.attune.core.safetensors.SafetensorsFile;
import ai.attune.iapo.rollout.Rollout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer's options that {@link IapoStepsTest} leaves at their defaults, each in a short run on
 * the warm tiny student (one question × 4 rollouts per step): {@code dr_grpo}, μ > 1, β > 0 with a
 * reference model, {@code offer_tools: true}, and LoRA.
 */
@Tag("slow")
class TrainerPathsTest {
  static final String SHORT =
      """
      data: {eval: []}
      train: {steps: %d, prompts_per_step: 1, samples_per_eval: 0, checkpoint_every: 0}
      output: {plots: false, final_model: false}
      """;

  @TempDir Path tmp;

  @Test
  void drGrpoRunsThroughTheTrainer() {
    // the padded width (prompt, image and tool-output tokens) exceeds max_turns × max_new_tokens
    List<StepResult> steps = run(1, "grpo: {loss_type: dr_grpo, scale_rewards: false}");
    StepResult s = steps.get(0);
    int width = s.rollouts().stream().mapToInt(r -> r.ids().length).max().orElseThrow();
    assertThat(width).as("sequence width").isGreaterThan(2 * 40);
    assertFinite(s, "loss", "grad_norm", "entropy", "reward_shaped");
    assertThat(s.metric("grad_norm")).isPositive();
  }

  @Test
  void laterUpdatesOfABatchMoveTheRatioAndClip() {
    List<StepResult> steps =
        run(
            1,
            """
        grpo: {updates_per_batch: 3}
        optim: {lr: 1.0e-2}
        """);
    StepResult s = steps.get(0);
    assertFinite(s, "loss", "grad_norm", "clip_ratio/region_mean");
    System.out.println(
        "mu = 3 clip fractions: "
            + s.metric("clip_ratio/low_mean")
            + " "
            + s.metric("clip_ratio/high_mean")
            + " "
            + s.metric("clip_ratio/region_mean"));
    assertThat(s.metric("clip_ratio/region_mean"))
        .as("clipped tokens over updates 2 and 3")
        .isPositive();
  }

  @Test
  void aReferenceModelGivesTheKlTerm() {
    List<StepResult> steps =
        run(
            2,
            """
        reference: {dir: %s}
        grpo: {beta: 0.1}
        optim: {lr: 1.0e-3}
        """
                .formatted(TinyRuns.warmStudent()));
    assertThat(steps.get(0).metric("kl"))
        .as("the policy is the reference at step 1")
        .isCloseTo(0.0, org.assertj.core.api.Assertions.within(1e-5));
    assertThat(steps.get(1).metric("kl")).as("after one update").isPositive().isFinite();
    assertFinite(steps.get(1), "loss", "grad_norm");
  }

  @Test
  void offeredToolsAndTheirArgumentsAreInThePrompt() {
    // one tool definition: the tiny tokenizer spells the schemas out in very many tokens
    List<StepResult> steps =
        run(
            1,
            """
        rollout: {offer_tools: true, tools: [zoom_in], group_size: 2, max_turns: 1,
          max_new_tokens: 24}
        alignment: {method: gxi, steps: 1, steps_per_pass: 1}
        """);
    Rollout r = steps.get(0).rollouts().get(0);
    String prompt = r.fullText();
    assertThat(prompt)
        .contains("<tools>", "\"zoom_in\"")
        .containsPattern("Image 0 is \\d+x\\d+ pixels \\(width x height\\)")
        .containsPattern("Named (rows|columns): \\S");
    assertFinite(steps.get(0), "loss", "grad_norm", "attribution_kl");
  }

  @Test
  void loraTrainsTheAdaptersOnly() throws Exception {
    List<StepResult> steps = new ArrayList<>();
    String settings =
        SHORT.formatted(1) + "student: {lora: {rank: 4, alpha: 8}}\n" + "optim: {lr: 1.0e-2}\n";
    Path before = TinyRuns.warmStudent().resolve("model.safetensors");
    try (IapoTrainer t = new IapoTrainer(TinyRuns.config(tmp.resolve("lora"), settings));
        SafetensorsFile f = SafetensorsFile.open(before)) {
      t.onStep(steps::add);
      List<Parameter> trainable = t.models().trainable();
      assertThat(trainable)
          .isNotEmpty()
          .allSatisfy(p -> assertThat(p.name()).containsAnyOf("lora_A", "lora_B"));
      List<float[]> was = trainable.stream().map(p -> p.value().toFloatArray()).toList();
      t.train(false);
      int moved = 0;
      for (int i = 0; i < trainable.size(); i++) {
        moved += Arrays.equals(was.get(i), trainable.get(i).value().toFloatArray()) ? 0 : 1;
      }
      assertThat(moved).as("adapters that moved").isGreaterThan(trainable.size() / 2);
      for (Parameter p : t.models().student().parameters().parameters().values()) {
        if (!p.trainable() && f.contains(p.name())) {
          assertThat(p.value().toFloatArray()).as(p.name()).isEqualTo(f.read(p.name()).toFloats());
        }
      }
    }
    assertFinite(steps.get(0), "loss", "grad_norm", "attribution_kl");
  }

  private List<StepResult> run(int n, String settings) {
    List<StepResult> steps = new ArrayList<>();
    try (IapoTrainer t =
        new IapoTrainer(TinyRuns.config(tmp.resolve("run"), SHORT.formatted(n) + settings))) {
      t.onStep(steps::add);
      t.train(false);
    }
    assertThat(steps).hasSize(n);
    return steps;
  }

  private static void assertFinite(StepResult s, String... metrics) {
    for (String m : metrics) {
      assertThat(s.metric(m)).as(m).isFinite();
    }
  }
}
