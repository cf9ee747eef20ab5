package ai.attune.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.core.params.Parameter;
import ai.attune.core.run.MetricsWriter;
import ai.attune.core.run.RunRecord;
import ai.attune.core.safetensors.SafetensorsCheckpoint;
import ai.attune.models.CausalLM;
import ai.attune.models.Models;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code attune grzo train|eval|replay} end to end on the bundled tiny OPT and synthetic SST-2. */
@Tag("e2e")
class GrzoCliTest {
  @TempDir Path tmp;

  /** Exit code, stdout and stderr of one command line. */
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = AttuneCli.run(args);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * The command line's {@code main} in a child JVM started with {@code jvmOptions}, as {@code java
   * -jar attune.jar} runs it: exit code, stdout and stderr.
   */
  static Run runInChildJvm(List<String> jvmOptions, String... args)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path")));
    command.addAll(jvmOptions);
    command.add(AttuneCli.class.getName());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    var out = p.getInputStream().readAllBytes();
    var err = p.getErrorStream().readAllBytes();
    int code = p.waitFor();
    return new Run(
        code, new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  Path config(String train, String extra) throws IOException {
    Path file = tmp.resolve("run.yaml");
    Path sst2 = AttuneCliTest.data("tasks/sst2-synth").toAbsolutePath();
    Files.writeString(
        file,
        """
        model: {dir: %s, device: cpu}
        task:
          name: sst2
          train: %s
          dev: %s
          test: %s
          dev_examples: 32
          test_examples: 32
          max_length: 32
        optimizer: {name: grzo, lr: 2.0e-4, sigma: 0.01, fused: true}
        train: {steps: 6, eval_every: 3, checkpoint_every: 3, log_every: 2}
        output: {dir: out}
        %s"""
            .formatted(
                AttuneCliTest.data("opt-tiny").toAbsolutePath(),
                train,
                sst2.resolve("dev.jsonl"),
                sst2.resolve("test.jsonl"),
                extra));
    return file;
  }

  @Test
  void trainWritesMetricsPlotCheckpointAndRecordAndReplayRebuildsIt() throws IOException {
    Path train = AttuneCliTest.data("tasks/sst2-synth/train.jsonl").toAbsolutePath();
    Run r = run("grzo", "train", "--config", config(train.toString(), "").toString());
    assertThat(r.code()).as(r.err()).isZero();
    Path out = tmp.resolve("out");
    assertThat(r.out())
        .contains("trained 6 of 6 steps")
        .contains("test accuracy (32 examples)")
        .contains("metrics:    " + out.resolve("metrics.jsonl"))
        .contains("plot:       " + out.resolve("loss.png"))
        .contains("checkpoint: " + out.resolve("checkpoints/step-000006"));
    assertThat(
            MetricsWriter.readAll(out.resolve("metrics.jsonl")).stream()
                .filter(l -> l.get("event").asText().equals("train"))
                .count())
        .isEqualTo(6);
    BufferedImage png = ImageIO.read(out.resolve("loss.png").toFile());
    assertThat(png).isNotNull();
    assertThat(png.getWidth()).isEqualTo(900);
    RunRecord record = RunRecord.read(out.resolve("run.json"));
    assertThat(record.command()).startsWith("attune grzo train --config");
    assertThat(record.config().get("train").get("steps").asInt()).isEqualTo(6);

    Run replay =
        run(
            "grzo",
            "replay",
            "--base",
            AttuneCliTest.data("opt-tiny").toString(),
            "--log",
            out.resolve("seed_log.jsonl").toString(),
            "--out",
            tmp.resolve("replayed").toString());
    assertThat(replay.code()).as(replay.err()).isZero();
    assertThat(replay.out()).startsWith("replayed 6 steps");
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM trained =
            Models.load(out.resolve("checkpoints/step-000006"), ComputeDtype.FLOAT32, root);
        SafetensorsCheckpoint rebuilt = SafetensorsCheckpoint.open(tmp.resolve("replayed"));
        SafetensorsCheckpoint base = SafetensorsCheckpoint.open(AttuneCliTest.data("opt-tiny"))) {
      int moved = 0;
      for (Parameter p : trained.parameters().parameters().values()) {
        float[] w = p.value().toFloatArray();
        assertThat(Arrays.equals(w, rebuilt.read(p.name()).toFloats())).as(p.name()).isTrue();
        moved += Arrays.equals(w, base.read(p.name()).toFloats()) ? 0 : 1;
      }
      assertThat(moved).isGreaterThan(10);
    }

    Run again = run("grzo", "train", "--config", tmp.resolve("run.yaml").toString());
    assertThat(again.code()).isZero();
    assertThat(again.out())
        .contains("was already complete (6 of 6 steps)")
        .contains("test accuracy (32 examples)");
    Run eval =
        run(
            "grzo",
            "eval",
            "--model",
            out.resolve("checkpoints/step-000006").toString(),
            "--task",
            "sst2",
            "--data",
            AttuneCliTest.data("tasks/sst2-synth/test.jsonl").toString(),
            "--max-examples",
            "32",
            "--max-length",
            "32",
            "--device",
            "cpu");
    assertThat(eval.code()).as(eval.err()).isZero();
    assertThat(eval.out()).startsWith("sst2 accuracy: ").contains("32 examples");
  }

  @Test
  void aMalformedDataLineFailsNamingTheFileAndLine() throws IOException {
    Path bad = tmp.resolve("bad.jsonl");
    Files.writeString(
        bad,
        "{\"sentence\": \"great\", \"label\": 1}\n"
            + "{\"sentence\": \"dull\", \"label\": 0}\n{\"sentence\": \"oops\", \"label\": 1\n");
    Run r = run("grzo", "train", "--config", config(bad.toString(), "").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: " + bad + ":3: not valid JSON");
  }

  @Test
  void aBadConfigFailsNamingTheField() throws IOException {
    Path train = AttuneCliTest.data("tasks/sst2-synth/train.jsonl").toAbsolutePath();
    Path file = config(train.toString(), "extra: 1\n");
    Run r = run("grzo", "train", "--config", file.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: " + file + ": extra: unknown key");
    assertThat(run("grzo", "train").code()).isEqualTo(2); // usage: --config is required
  }

  @Test
  void theBundledMainJobConfigRunsShortened() {
    Path config =
        AttuneCliTest.data("")
            .toAbsolutePath()
            .normalize()
            .getParent()
            .resolve("configs/grzo-opt-tiny-sst2.yaml");
    Run r =
        run(
            "grzo",
            "train",
            "--config",
            config.toString(),
            "--steps",
            "10",
            "--output",
            tmp.resolve("main").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("trained 10 of 10 steps")
        .contains("test accuracy (100 examples): 0.4600 -> ");
  }

  @Test
  void compareRunsATinyGridAndPrintsTheTable() throws IOException {
    config(AttuneCliTest.data("tasks/sst2-synth/train.jsonl").toAbsolutePath().toString(), "");
    Path compare = tmp.resolve("compare.yaml");
    Files.writeString(
        compare,
        """
        base: run.yaml
        optimizers: [grzo, mezo]
        lrs: [1.0e-3]
        seeds: [1, 2]
        steps: 3
        eval_every: 3
        target_loss: 0.5
        target_dev_accuracy: 0.9
        output: compare-out
        overrides: {optimizer: {fused: false, mezo_params: grzo}, task: {test: null}}
        """);
    Run r = run("grzo", "compare", "--config", compare.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("Learning-rate grid (both optimizers): [0.001]; seeds [1, 2]")
        .contains("| grzo | 0.00100 | ")
        .contains("| mezo | 0.00100 | ")
        .contains("Tuned mezo: lr 0.00100")
        .contains("wrote " + tmp.resolve("compare-out").resolve("comparison.md"));
  }
}
