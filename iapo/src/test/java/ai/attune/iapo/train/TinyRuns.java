package ai.attune.iapo.train;

import ai.attune.core.config.ConfigYaml;
import ai.attune.core.device.Engines;
import ai.attune.core.optim.AdamWConfig;
import ai.attune.core.params.Parameter;
import ai.attune.core.run.AtomicFiles;
import ai.attune.iapo.rollout.RolloutConfig;
import ai.attune.iapo.rollout.SpecialTokens;
import ai.attune.iapo.rollout.TinyVl;
import ai.attune.iapo.warmstart.Demonstrations;
import ai.attune.iapo.warmstart.SupervisedWarmStart;
import ai.attune.iapo.warmstart.WarmStartConfig;
import ai.attune.iapo.warmstart.WarmStartResult;
import ai.attune.models.HfExport;
import ai.attune.testsupport.FixturePaths;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Shared pieces of the trainer tests: the tiny student warm-started once per JVM (written as an HF
 * folder, so every run loads it like any checkpoint), the perturbed tiny teacher, the synthetic
 * charts, and a config template.
 *
 * <p>The warm start: {@value #WARM_STEPS} supervised steps (batch 4, constant lr 1e-2, vision tower
 * frozen) on the 36 training demonstrations, after which sampled rollouts (temperature 0.7) call
 * tools and some calls run (measured: loss 5.14 → 0.20 in 18 s; 7 of the 24 rollouts of {@link
 * IapoStepsTest} fed a tool's image back). The engine runs on one intra-op thread in these tests
 * (see {@link TinyVl}).
 */
final class TinyRuns {
  static final int WARM_STEPS = 200;
  private static Path warm;

  private TinyRuns() {}

  /** The warm-started student, built on first use. */
  static synchronized Path warmStudent() {
    Engines.pytorch();
    JniUtils.setNumThreads(1);
    if (warm != null) {
      return warm;
    }
    try (TinyVl vl = new TinyVl()) {
      for (Parameter p : vl.model.parameters().parameters().values()) {
        p.setTrainable(!p.name().startsWith("visual."));
      }
      RolloutConfig rc = TinyVl.config(2, 40);
      var demos =
          Demonstrations.build(TinyVl.train(), vl.tokenizer, vl.processor, TinyVl.registry(), rc);
      WarmStartResult r =
          SupervisedWarmStart.train(
              vl.model,
              demos.stream().map(Demonstrations.Demonstration::trajectory).toList(),
              new WarmStartConfig(
                  WARM_STEPS,
                  4,
                  AdamWConfig.builder(1e-2).build(),
                  1,
                  WarmStartConfig.Schedule.CONSTANT,
                  0),
              SpecialTokens.of(vl.tokenizer).endOfText(),
              vl.root);
      System.out.printf(
          "warm start: loss %.3f -> %.3f in %.1f s%n", r.firstMean(5), r.lastMean(5), r.seconds());
      Path dir = Files.createTempDirectory("iapo-warm-tiny");
      deleteOnExit(dir);
      HfExport.write(vl.model, FixturePaths.of(TinyVl.MODEL), dir);
      warm = dir;
      JniUtils.setNumThreads(1);
      return warm;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes {@code dir} and what it holds when the JVM exits (the warm student outlives tests). */
  private static void deleteOnExit(Path dir) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    AtomicFiles.deleteTree(dir);
                  } catch (IOException e) {
                    System.err.println("could not delete " + dir + ": " + e);
                  }
                },
                "delete-" + dir.getFileName()));
  }

  static Path teacher() {
    return FixturePaths.of("qwen2_5_vl-tiny-teacher");
  }

  static Path charts() {
    return FixturePaths.of("charts-synth");
  }

  /**
   * A run config on the warm student and the tiny teacher: short two-turn rollouts without tool
   * definitions in the prompt, highlight and zoom_in, 4-step integrated gradients; {@code extra} is
   * YAML merged over it (sections replace keys one by one).
   */
  static IapoTrainConfig config(Path output, String extra) {
    String yaml =
        """
        student: {dir: %s}
        teacher: {dir: %s}
        data: {train: %s, eval: [%s]}
        rollout: {group_size: 4, max_turns: 2, max_new_tokens: 40, temperature: 0.7,
          offer_tools: false, tools: [highlight, zoom_in], zoom_short_side: 112}
        rewards: {correctness: 1.0, format: 0.1, tool_penalty: 0.1}
        alignment: {lambda: 1.0, method: ig, steps: 4, steps_per_pass: 4}
        optim: {lr: 1.0e-4}
        train: {steps: 3, prompts_per_step: 2, seed: 7, checkpoint_every: 2,
          samples_per_eval: 2}
        output: {dir: %s}
        """
            .formatted(
                warmStudent(),
                teacher(),
                charts().resolve("train.jsonl"),
                charts().resolve("test.jsonl"),
                output);
    try {
      var base = (ObjectNode) ConfigYaml.MAPPER.readTree(yaml);
      JsonNode over = ConfigYaml.MAPPER.readTree(extra);
      ObjectNode merged = over instanceof ObjectNode o ? ConfigYaml.merge(base, o) : base;
      return IapoTrainConfig.parse(merged.toString(), "test config");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
