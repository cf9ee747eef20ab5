package ai.attune.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.config.Mappers;
import ai.attune.core.device.Engines;
import ai.attune.core.run.MetricsWriter;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code attune iapo train|eval|bench|plan} on the tiny Qwen2.5-VL fixture and the synthetic
 * charts, the paper-setting example's refusal to start without its folders, and the memory plan of
 * the paper config.
 */
@Tag("e2e")
class IapoCliTest {
  @TempDir Path tmp;

  @BeforeAll
  static void oneThread() {
    Engines.pytorch();
    JniUtils.setNumThreads(1); // tiny tensors: a second thread only waits for a busy core
  }

  @Test
  void evalPrintsAccuracyAndToolRatesPerSet() throws Exception {
    Path a = subset("train.jsonl", "a.jsonl", 2);
    Path b = subset("test.jsonl", "b.jsonl", 3);
    String out =
        capture(
            "iapo",
            "eval",
            "--model",
            AttuneCliTest.data("qwen2_5_vl-tiny").toString(),
            "--data",
            a.toString(),
            b.toString(),
            "--max-turns",
            "1",
            "--max-new-tokens",
            "8",
            "--no-tool-definitions",
            "--device",
            "cpu");
    List<String> lines = out.lines().toList();
    assertThat(lines.get(0))
        .contains("set", "questions", "accuracy", "tool_call_rate", "tool_success_rate");
    assertThat(lines.get(1).split("\\s+")).startsWith("a", "2");
    assertThat(lines.get(2).split("\\s+")).startsWith("b", "3");
    double accuracy = Double.parseDouble(lines.get(2).split("\\s+")[2]);
    assertThat(accuracy).isBetween(0.0, 1.0);
  }

  @Test
  void trainRunsATinyConfigWhoseFinalModelEvaluates() throws Exception {
    Path config = tmp.resolve("run.yaml");
    Files.writeString(
        config,
        """
        student: {dir: %s, device: cpu}
        teacher: {dir: %s}
        data: {train: %s, eval: [%s], max_train_examples: 4, max_eval_examples: 2}
        rollout: {group_size: 2, max_turns: 2, max_new_tokens: 16, offer_tools: false,
          tools: [highlight, zoom_in], zoom_short_side: 112}
        alignment: {steps: 2, steps_per_pass: 2}
        optim: {lr: 1.0e-4}
        train: {steps: 2, prompts_per_step: 1, checkpoint_every: 1, samples_per_eval: 1,
          warm_start: {steps: 5, lr: 1.0e-2}}
        output: {dir: out}
        """
            .formatted(
                AttuneCliTest.data("qwen2_5_vl-tiny"),
                AttuneCliTest.data("qwen2_5_vl-tiny-teacher"),
                charts("train.jsonl"),
                charts("test.jsonl")));
    String out = capture("iapo", "train", "--config", config.toString());
    assertThat(out).contains("trained steps 1..2").contains("test");
    Path run = tmp.resolve("out");
    assertThat(MetricsWriter.readAll(run.resolve("metrics.jsonl"))).hasSize(2);
    assertThat(
            Mappers.json().readTree(run.resolve("warm_start.json").toFile()).get("steps").asInt())
        .isEqualTo(5);
    assertThat(run.resolve("checkpoints/step-000002/trainable.safetensors")).isNotEmptyFile();
    assertThat(run.resolve("plots/reward.png")).isNotEmptyFile();
    java.nio.file.attribute.FileTime written =
        Files.getLastModifiedTime(run.resolve("final/model.safetensors"));
    String again = capture("iapo", "train", "--config", config.toString(), "--resume");
    assertThat(again)
        .contains(
            "the run in "
                + run
                + " is already finished (step 2 of 2);"
                + " nothing was trained or written");
    assertThat(Files.getLastModifiedTime(run.resolve("final/model.safetensors")))
        .isEqualTo(written);
    String eval =
        capture(
            "iapo",
            "eval",
            "--model",
            run.resolve("final").toString(),
            "--data",
            charts("test.jsonl").toString(),
            "--max-examples",
            "1",
            "--max-turns",
            "1",
            "--max-new-tokens",
            "8",
            "--no-tool-definitions",
            "--device",
            "cpu");
    assertThat(eval.lines().toList().get(1).split("\\s+")).startsWith("test", "1");
  }

  @Test
  void benchPrintsThroughputAndTheTimeOfEachPhaseAndLeavesNoScratchFolder() throws Exception {
    Set<Path> before = scratchFolders();
    String out =
        capture(
            "iapo",
            "bench",
            "--model",
            AttuneCliTest.data("qwen2_5_vl-tiny").toString(),
            "--teacher",
            AttuneCliTest.data("qwen2_5_vl-tiny-teacher").toString(),
            "--group",
            "2",
            "--max-new-tokens",
            "8",
            "--steps",
            "1",
            "--no-tool-definitions",
            "--device",
            "cpu");
    System.out.println(out);
    assertThat(out)
        .contains("rollout throughput: 1 prompts x 2 rollouts x 8 new tokens: 16 tokens")
        .contains("generation", "tools", "attribution", "teacher", "policy_update");
    assertThat(scratchFolders()).isEqualTo(before);
  }

  /** The temp folder's {@code iapo-bench*} entries: the bench's scratch folders. */
  private static Set<Path> scratchFolders() throws IOException {
    try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return entries
          .filter(p -> p.getFileName().toString().startsWith("iapo-bench"))
          .collect(Collectors.toSet());
    }
  }

  @Test
  void thePaperExampleNamesTheFoldersItLacks() {
    Path config = Path.of("..").resolve(IapoQwen25VlExample.DEFAULT_CONFIG);
    assertThatThrownBy(() -> IapoQwen25VlExample.runExample(config.toString()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("student.dir: no folder /models/Qwen2.5-VL-3B-Instruct")
        .hasMessageContaining("teacher.dir: no folder /runs/iapo-qwen2.5-vl-7b-grpo-teacher/final")
        .hasMessageContaining("data.eval[5]: no file");
  }

  @Test
  void planPrintsThePaperConfigsMemoryAndWhetherItFits() {
    String config =
        Path.of("")
            .toAbsolutePath()
            .getParent()
            .resolve("configs/iapo-qwen2.5-vl-3b-7b.yaml")
            .toString();
    String out = capture("iapo", "plan", "--config", config);
    assertThat(out)
        .contains(
            "student weights",
            "7.51",
            "optimizer state (AdamW)",
            "37.03",
            "teacher weights",
            "16.58",
            "policy update activations",
            "FITS");
    PrintStream old = System.out;
    System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    try {
      assertThat(
              AttuneCli.run(
                  new String[] {"iapo", "plan", "--config", config, "--gpu-memory", "60GB"}))
          .isEqualTo(1);
      assertThat(
              AttuneCli.run(
                  new String[] {"iapo", "plan", "--config", config, "--gpu-memory", "lots"}))
          .isEqualTo(2);
    } finally {
      System.setOut(old);
    }
  }

  private static Path charts(String file) {
    return AttuneCliTest.data("charts-synth").resolve(file);
  }

  /** The first {@code n} lines of a chart set, with absolute image paths. */
  private Path subset(String from, String to, int n) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (String line : Files.readAllLines(charts(from)).subList(0, n)) {
      ObjectNode o = (ObjectNode) Mappers.json().readTree(line);
      o.put("image", charts(from).getParent().resolve(o.get("image").asText()).toString());
      sb.append(o.toString()).append('\n');
    }
    Path out = tmp.resolve(to);
    Files.writeString(out, sb);
    return out;
  }

  private static String capture(String... args) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = AttuneCli.run(args);
    } finally {
      System.setOut(old);
    }
    String text = buf.toString(StandardCharsets.UTF_8);
    assertThat(code).as("exit code; output:%n%s", text).isZero();
    return text;
  }
}
