package ai.attune.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.safetensors.HostTensor;
import ai.attune.core.safetensors.SafetensorsCheckpoint;
import ai.attune.core.safetensors.SafetensorsWriter;
import ai.attune.examples.GrzoCliTest.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input corpus of {@code docs/errors.md}: one test per row, each running the command line
 * on the bundled tiny OPT and asserting the exit code and the message a user sees. A short GRZO run
 * trained once serves the replay and resume rows.
 */
@Tag("e2e")
class BadInputCorpusTest {
  @TempDir static Path shared;
  @TempDir Path tmp;
  static Path run;

  static Path opt() {
    return AttuneCliTest.data("opt-tiny").toAbsolutePath().normalize();
  }

  /** A 4-step GRZO config with a checkpoint every 2 steps, writing to {@code dir}. */
  static Path config(Path folder, Path dir, String extra) throws IOException {
    Path sst2 = AttuneCliTest.data("tasks/sst2-synth").toAbsolutePath().normalize();
    Path file = folder.resolve("run-" + Math.abs(extra.hashCode()) + ".yaml");
    Files.writeString(
        file,
        """
        model: {dir: %s, device: cpu}
        task: {name: sst2, train: %s, dev: %s, test: null, dev_examples: 8,
          train_examples: 64, max_length: 32}
        optimizer: {name: grzo, lr: 2.0e-4, sigma: 0.01%s}
        train: {steps: 4, batch_size: 4, eval_every: 0, checkpoint_every: 2, log_every: 2}
        output: {dir: %s, plot: false}
        """
            .formatted(opt(), sst2.resolve("train.jsonl"), sst2.resolve("dev.jsonl"), extra, dir));
    return file;
  }

  @BeforeAll
  static void trainOnce() throws IOException {
    run = shared.resolve("run");
    Run r = GrzoCliTest.run("grzo", "train", "--config", config(shared, run, "").toString());
    assertThat(r.code()).as(r.err()).isZero();
  }

  static Run fails(String... args) {
    Run r = GrzoCliTest.run(args);
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.err())
        .doesNotContain("index out of range in self")
        .doesNotContain("Exception in thread");
    return r;
  }

  /**
   * Runs the command line in a child JVM with INFO logging (the build runs tests at WARN, and SLF4J
   * fixes a logger's level when it is created), for the rows about progress lines.
   */
  static Run runWithInfoLogs(String... args) throws IOException, InterruptedException {
    return GrzoCliTest.runInChildJvm(
        List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=info"), args);
  }

  Path inputs(HostTensor... tensors) {
    Path file = tmp.resolve("in.safetensors");
    SafetensorsWriter.write(file, List.of(tensors), Map.of());
    return file;
  }

  Run forward(Path inputs) {
    return GrzoCliTest.run(
        "forward",
        "--model",
        opt().toString(),
        "--inputs",
        inputs.toString(),
        "--out",
        tmp.resolve("out.safetensors").toString(),
        "--device",
        "cpu");
  }

  Run generate(Path inputs, int maxNewTokens) {
    return GrzoCliTest.run(
        "generate",
        "--model",
        opt().toString(),
        "--inputs",
        inputs.toString(),
        "--max-new-tokens",
        Integer.toString(maxNewTokens),
        "--out",
        tmp.resolve("out.safetensors").toString(),
        "--device",
        "cpu");
  }

  static HostTensor ids(long[] shape, long... values) {
    return HostTensor.ofLongs("input_ids", shape, values);
  }

  // ---- model folders and checkpoints (already clear before issue 13) ----

  @Test
  void missingModelFolder() {
    Path nope = tmp.resolve("nope");
    Run r =
        fails(
            "forward",
            "--model",
            nope.toString(),
            "--inputs",
            opt().resolve("reference.safetensors").toString(),
            "--out",
            tmp.resolve("o").toString());
    assertThat(r.err()).startsWith("error: ").contains(nope.toString());
  }

  @Test
  void unknownModelType() throws IOException {
    Path model = copyOfOpt();
    Path cfg = model.resolve("config.json");
    Files.writeString(cfg, Files.readString(cfg).replace("\"opt\"", "\"gpt9\""));
    Run r =
        fails(
            "forward",
            "--model",
            model.toString(),
            "--inputs",
            opt().resolve("reference.safetensors").toString(),
            "--out",
            tmp.resolve("o").toString());
    assertThat(r.err()).contains("config.json").contains("model_type").contains("gpt9");
  }

  @Test
  void truncatedSafetensors() throws IOException {
    Path model = copyOfOpt();
    Path weights = model.resolve("model.safetensors");
    byte[] bytes = Files.readAllBytes(weights);
    Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    Run r =
        fails(
            "forward",
            "--model",
            model.toString(),
            "--inputs",
            opt().resolve("reference.safetensors").toString(),
            "--out",
            tmp.resolve("o").toString());
    assertThat(r.err()).contains(weights.toString());
  }

  @Test
  void implausibleSafetensorsHeaderLength() throws IOException {
    Path model = copyOfOpt();
    Path weights = model.resolve("model.safetensors");
    byte[] bytes = Files.readAllBytes(weights);
    for (int i = 0; i < 8; i++) {
      bytes[i] = (byte) 0x7f;
    }
    Files.write(weights, bytes);
    Run r =
        fails(
            "forward",
            "--model",
            model.toString(),
            "--inputs",
            opt().resolve("reference.safetensors").toString(),
            "--out",
            tmp.resolve("o").toString());
    assertThat(r.err()).contains(weights.toString()).contains("header");
  }

  Path copyOfOpt() throws IOException {
    Path model = tmp.resolve("model");
    Files.createDirectories(model);
    try (var files = Files.list(opt())) {
      for (Path f : files.toList()) {
        Files.copy(f, model.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return model;
  }

  // ---- token ids (issue 13) ----

  @Test
  void floatInputIds() {
    Run r =
        fails(
            "forward",
            "--model",
            opt().toString(),
            "--inputs",
            inputs(HostTensor.ofFloats("input_ids", new long[] {1, 3}, new float[] {10.7f, 5f, 6f}))
                .toString(),
            "--out",
            tmp.resolve("o").toString());
    assertThat(r.err())
        .contains("input_ids is stored as F32")
        .contains("token ids must be an integer tensor");
  }

  @Test
  void idAtOrPastTheVocabulary() {
    Run r = forward(inputs(ids(new long[] {2, 3}, 5, 6, 7, 8, 512, 9)));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains("input_ids[1, 1] = 512 is outside the vocabulary")
        .contains("0..511 (vocab_size 512");
  }

  @Test
  void negativeId() {
    Run r = forward(inputs(ids(new long[] {1, 3}, 5, -1, 7)));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("input_ids[0, 1] = -1 is negative");
  }

  @Test
  void sequenceLongerThanThePositionTable() {
    long[] values = new long[65];
    java.util.Arrays.fill(values, 7);
    Run r = forward(inputs(ids(new long[] {1, 65}, values)));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("row 0 holds 65 tokens, more than the 64 positions");
  }

  @Test
  void maxNewTokensPastThePositionTable() {
    long[] values = new long[60];
    java.util.Arrays.fill(values, 7);
    Run r = generate(inputs(ids(new long[] {1, 60}, values)), 10);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains("with 10 new tokens it would need 69 positions, more than the" + " 64")
        .contains("lower max new tokens to at most 5")
        .contains("--max-new-tokens");
  }

  @Test
  void emptyRows() {
    Run r = forward(inputs(ids(new long[] {1, 0})));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains("input_ids has shape (1, 0)")
        .contains("every row needs at least one token");
  }

  @Test
  void allPaddingRow() {
    Run r =
        forward(
            inputs(
                ids(new long[] {2, 2}, 5, 6, 7, 8),
                HostTensor.ofLongs("attention_mask", new long[] {2, 2}, new long[] {1, 1, 0, 0})));
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("attention_mask row 1 is all zeros");
  }

  @Test
  void generateInputsExampleOfTheReadmeWorks() {
    Run r =
        GrzoCliTest.run(
            "generate",
            "--model",
            opt().toString(),
            "--inputs",
            opt().resolve("prompt.safetensors").toString(),
            "--max-new-tokens",
            "8",
            "--out",
            tmp.resolve("seq.safetensors").toString());
    assertThat(r.code()).as(r.err()).isZero();
    try (SafetensorsCheckpoint got = SafetensorsCheckpoint.open(tmp.resolve("seq.safetensors"));
        SafetensorsCheckpoint ref =
            SafetensorsCheckpoint.open(opt().resolve("reference.safetensors"))) {
      assertThat(got.read("sequences").toLongs())
          .containsExactly(ref.read("generate_greedy").toLongs());
    }
  }

  // ---- output paths (issue 13) ----

  @Test
  void outputDirIsAFile() throws IOException {
    Path file = tmp.resolve("taken");
    Files.writeString(file, "x");
    Run r = fails("grzo", "train", "--config", config(tmp, file, "").toString());
    assertThat(r.err()).contains("output.dir: " + file + " is a file, not a folder");
  }

  @Test
  void forwardOutIsAFolder() {
    Run r =
        fails(
            "forward",
            "--model",
            opt().toString(),
            "--inputs",
            opt().resolve("reference.safetensors").toString(),
            "--out",
            tmp.toString());
    assertThat(r.err()).contains("--out: " + tmp + " is a folder");
  }

  // ---- replay (issue 13, issue 9 item 6) ----

  @Test
  void replayOntoADifferentModel() throws IOException {
    Path model = copyOfOpt();
    Path weights = model.resolve("model.safetensors");
    List<HostTensor> changed = new ArrayList<>();
    try (SafetensorsCheckpoint in =
        SafetensorsCheckpoint.open(opt().resolve("model.safetensors"))) {
      for (String name : in.names()) {
        HostTensor t = in.read(name);
        if (name.endsWith("final_layer_norm.weight")) {
          float[] v = t.toFloats();
          v[0] += 0.5f;
          t = HostTensor.ofFloats(name, t.shape(), v);
        }
        changed.add(t);
      }
    }
    SafetensorsWriter.write(weights, changed, Map.of());
    Run r =
        fails(
            "grzo",
            "replay",
            "--base",
            model.toString(),
            "--log",
            run.resolve("seed_log.jsonl").toString(),
            "--out",
            tmp.resolve("re").toString());
    assertThat(r.err())
        .contains("cannot replay")
        .contains(
            "the base model differs from the"
                + " run's: the parameters have the same names and shapes but different values");
    assertThat(tmp.resolve("re")).doesNotExist();
  }

  @Test
  void replayOntoAnotherArchitecture() {
    Run r =
        fails(
            "grzo",
            "replay",
            "--base",
            AttuneCliTest.data("llama3-tiny").toString(),
            "--log",
            run.resolve("seed_log.jsonl").toString(),
            "--out",
            tmp.resolve("re").toString());
    assertThat(r.err()).contains("cannot replay").contains("the base model differs");
  }

  @Test
  void replayWithOtherOptimizerSettings() throws IOException {
    Path cfg = tmp.resolve("other.yaml");
    Files.writeString(
        cfg,
        Files.readString(run.resolve("config.yaml"))
            .replaceFirst("sigma: [0-9.eE-]+", "sigma: 0.02"));
    Run r =
        fails(
            "grzo",
            "replay",
            "--base",
            opt().toString(),
            "--log",
            run.resolve("seed_log.jsonl").toString(),
            "--config",
            cfg.toString(),
            "--out",
            tmp.resolve("re").toString());
    assertThat(r.err())
        .contains("the optimizer settings differ at optimizer.sigma (was 0.01," + " now 0.02)");
  }

  @Test
  void replayWithAMissingLog() {
    Path log = tmp.resolve("seed_log.jsonl");
    Run r =
        fails(
            "grzo",
            "replay",
            "--base",
            opt().toString(),
            "--log",
            log.toString(),
            "--out",
            tmp.resolve("re").toString());
    assertThat(r.err()).isEqualTo("error: seed log " + log + " does not exist\n");
  }

  @Test
  void replayOfATornLog() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("torn"));
    Files.copy(run.resolve("config.yaml"), dir.resolve("config.yaml"));
    List<String> lines = Files.readAllLines(run.resolve("seed_log.jsonl"));
    lines.set(2, lines.get(2).substring(0, 30));
    Files.write(dir.resolve("seed_log.jsonl"), lines, StandardCharsets.UTF_8);
    Run r =
        fails(
            "grzo",
            "replay",
            "--base",
            opt().toString(),
            "--log",
            dir.resolve("seed_log.jsonl").toString(),
            "--out",
            tmp.resolve("re").toString());
    assertThat(r.err()).contains(dir.resolve("seed_log.jsonl") + ":3: not valid JSON");

    Files.writeString(
        dir.resolve("seed_log.jsonl"),
        String.join("\n", lines.subList(0, 2)) + "\n" + lines.get(3).substring(0, 20));
    Run cut =
        fails(
            "grzo",
            "replay",
            "--base",
            opt().toString(),
            "--log",
            dir.resolve("seed_log.jsonl").toString(),
            "--out",
            tmp.resolve("re").toString());
    assertThat(cut.err())
        .contains(dir.resolve("seed_log.jsonl") + ":3: the last line is cut" + " off");
  }

  @Test
  void replayShowsProgressAndSucceedsOnTheRunsOwnSettings() throws Exception {
    Run r =
        runWithInfoLogs(
            "grzo",
            "replay",
            "--base",
            opt().toString(),
            "--log",
            run.resolve("seed_log.jsonl").toString(),
            "--out",
            tmp.resolve("re").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("replayed 4 steps");
    assertThat(r.err()).contains("replayed step 4/4 (100.0%)");
  }

  // ---- resume (issue 13) ----

  @Test
  void resumeWithOtherStepsUnderADecayingSchedule() throws IOException {
    Path dir = tmp.resolve("cosine");
    Path cfg = config(tmp, dir, ", schedule: cosine");
    assertThat(GrzoCliTest.run("grzo", "train", "--config", cfg.toString(), "--steps", "2").code())
        .isZero();
    Run r = fails("grzo", "train", "--config", cfg.toString());
    assertThat(r.err())
        .contains("train.steps changed from 2 to 4 while resuming")
        .contains("cosine learning-rate schedule depends on it")
        .contains("--allow-changed-config");
    Run allowed =
        GrzoCliTest.run("grzo", "train", "--config", cfg.toString(), "--allow-changed-config");
    assertThat(allowed.code()).as(allowed.err()).isZero();
    assertThat(allowed.err()).contains("continuing with the new setting");
    assertThat(allowed.out()).contains("trained 4 of 4 steps");
  }

  @Test
  void resumeWithAnotherBatchSize() throws IOException {
    Path cfg = tmp.resolve("batch.yaml");
    Files.writeString(
        cfg,
        Files.readString(run.resolve("config.yaml"))
            .replaceFirst("batch_size: 4", "batch_size: 8")
            .replaceFirst("steps: 4", "steps: 6"));
    Run r = fails("grzo", "train", "--config", cfg.toString());
    assertThat(r.err())
        .contains("differs from that of the run being resumed")
        .contains("train.batch_size (was 4, now 8)");
  }

  @Test
  void runKilledBeforeItsFirstCheckpointSaysItRestarts() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("killed"));
    Files.writeString(dir.resolve("metrics.jsonl"), "{\"step\":1,\"event\":\"train\"}\n");
    Run r = GrzoCliTest.run("grzo", "train", "--config", config(tmp, dir, "").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err())
        .contains("stopped before its first checkpoint: starting again from" + " step 0");
  }

  @Test
  void progressAfterResumeCountsAbsoluteSteps() throws Exception {
    Path dir = tmp.resolve("resumed");
    Path cfg = config(tmp, dir, "");
    assertThat(GrzoCliTest.run("grzo", "train", "--config", cfg.toString(), "--steps", "2").code())
        .isZero();
    Run r = runWithInfoLogs("grzo", "train", "--config", cfg.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err())
        .contains("resuming " + dir + " at step 2 of 4")
        .contains("step 4/4 (100.0%)")
        .doesNotContain("step 2/2");
  }
}
