package ai.attune.grzo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.core.run.MetricsWriter;
import ai.attune.core.run.RunFolder;
import ai.attune.core.run.TrainerState;
import ai.attune.grzo.optim.BatchLoss;
import ai.attune.grzo.replay.SeedLog;
import ai.attune.models.LanguageModel;
import ai.attune.models.Models;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer end to end on opt-tiny and the synthetic SST-2 set: replay of the seed log,
 * resumption after a kill, and the NaN policies.
 */
@Tag("e2e")
class GrzoTrainerTest {
  /** Short runs: 12 steps, a 32-example dev set, no test set. */
  static final String SHORT = shortRun("");

  /** A short run with more {@code train} settings ({@code "nan_policy: skip, "}). */
  static String shortRun(String train) {
    return "task: {test: null, dev_examples: 32}\ntrain: {" + train + "steps: 12}\n";
  }

  @TempDir Path tmp;

  static TrainResult train(GrzoTrainConfig c, TrainerHooks hooks) throws IOException {
    return new GrzoTrainer(c, "test", hooks).run(GrzoTrainer.Start.AUTO);
  }

  @Test
  void replayOfTheSeedLogRebuildsTheTrainedWeightsBitForBit() throws IOException {
    Map<String, float[]> base = TrainerWeights.read(TrainFixtures.data("opt-tiny"));
    for (String optimizer :
        List.of(
            "{name: grzo, fused: false}",
            "{name: grzo, fused: true}",
            "{name: mezo, exact_restore: true, lr: 1.0e-3}",
            "{name: grzo, variant: {name: sparse}}",
            "{name: mezo, lr: 1.0e-3, variant: {name: lowrank, period: 5}}",
            "{name: grzo, variant: {name: quantized, bits: 4}}")) {
      Path out = tmp.resolve("run-" + out(optimizer));
      GrzoTrainConfig c = TrainFixtures.config(out, SHORT + "optimizer: " + optimizer + "\n");
      TrainResult r = train(c, TrainerHooks.NONE);
      Map<String, float[]> trained = TrainerWeights.read(r.checkpoint());
      Path replayed = tmp.resolve("replayed-" + out(optimizer));
      int steps =
          SeedLogReplay.rebuild(
              TrainFixtures.data("opt-tiny"),
              r.files().file(SeedLog.FILE),
              GrzoTrainConfig.read(r.files().config()),
              replayed);
      System.out.printf(
          "%s: replayed %d steps, %d of %d tensors changed by training%n",
          optimizer, steps, TrainerWeights.changed(base, trained), base.size());
      assertThat(steps).isEqualTo(12);
      assertThat(TrainerWeights.changed(base, trained)).isGreaterThan(10);
      TrainerWeights.assertBitwiseEqual(TrainerWeights.read(replayed), trained);
      assertThat(Files.readString(replayed.resolve("config.json")))
          .isEqualTo(Files.readString(TrainFixtures.data("opt-tiny").resolve("config.json")));
    }
  }

  private static String out(String optimizer) {
    return optimizer.replaceAll("[^a-z0-9]+", "-");
  }

  @Test
  void mezoWithoutExactRestoreAlsoReplaysExactly() throws IOException {
    GrzoTrainConfig c =
        TrainFixtures.config(tmp.resolve("mezo"), SHORT + "optimizer: {name: mezo, lr: 1.0e-3}\n");
    TrainResult r = train(c, TrainerHooks.NONE);
    Path replayed = tmp.resolve("replayed");
    SeedLogReplay.rebuild(
        TrainFixtures.data("opt-tiny"), r.files().file(SeedLog.FILE), c, replayed);
    double drift =
        TrainerWeights.maxAbsDiff(
            TrainerWeights.read(replayed), TrainerWeights.read(r.checkpoint()));
    System.out.printf("MeZO +σ/−2σ/+σ restore: replay differs by at most %.3g%n", drift);
    // the replay re-runs the +σ/−2σ/+σ sequence, so the restore drift is reproduced too
    assertThat(drift).isZero();
  }

  @Test
  void aKilledRunResumedFromItsCheckpointEndsLikeAnUninterruptedOne() throws IOException {
    String periodic = shortRun("checkpoint_every: 4, eval_every: 3, ");
    TrainResult a = train(TrainFixtures.config(tmp.resolve("a"), periodic), TrainerHooks.NONE);
    GrzoTrainConfig bConfig = TrainFixtures.config(tmp.resolve("b"), periodic);
    TrainerHooks killAt10 =
        new TrainerHooks() {
          @Override
          public void beforeStep(long step) {
            if (step == 10) {
              throw new IllegalStateException("killed");
            }
          }
        };
    assertThatThrownBy(() -> train(bConfig, killAt10)).hasMessage("killed");
    RunFolder b = new RunFolder(tmp.resolve("b"));
    assertThat(b.checkpoints())
        .extracting(p -> p.getFileName().toString())
        .containsExactly("step-000008"); // train.keep_checkpoints: 1 (the default)
    assertThat(TrainerState.read(b.lastCheckpoint()).step()).isEqualTo(8);
    assertThat(lines(b.file(SeedLog.FILE)))
        .hasSize(10); // the header, and step 9 logged after the checkpoint
    Files.writeString(b.metrics(), "{\"step\":10,\"ev", StandardOpenOption.APPEND); // torn line
    TrainResult resumed = train(bConfig, TrainerHooks.NONE);

    assertThat(resumed.step()).isEqualTo(12);
    TrainerWeights.assertBitwiseEqual(
        TrainerWeights.read(b.lastCheckpoint()), TrainerWeights.read(a.checkpoint()));
    assertThat(withoutTimes(b.file(SeedLog.FILE)))
        .hasSize(13)
        .isEqualTo(withoutTimes(a.files().file(SeedLog.FILE)));
    List<ObjectNode> ma = withoutTimes(a.files().metrics());
    List<ObjectNode> mb = withoutTimes(b.metrics());
    assertThat(mb).hasSize(ma.size()).isEqualTo(ma);
    assertThat(resumed.after()).isEqualTo(a.after());
    assertThat(resumed.before()).isEqualTo(a.before());
  }

  static List<String> lines(Path file) throws IOException {
    return Files.readAllLines(file);
  }

  /** The lines of a metrics or seed log without their wall-clock fields. */
  static List<ObjectNode> withoutTimes(Path metrics) throws IOException {
    List<ObjectNode> lines = MetricsWriter.readAll(metrics);
    for (ObjectNode l : lines) {
      l.remove(List.of("time", "step_time_s", "examples_per_s"));
    }
    return lines;
  }

  /** Returns NaN losses at step {@code bad}. */
  static TrainerHooks nanAt(long bad) {
    return new TrainerHooks() {
      @Override
      public BatchLoss wrapLoss(long step, BatchLoss loss) {
        return step != bad
            ? loss
            : new BatchLoss() {
              @Override
              public int examples() {
                return loss.examples();
              }

              @Override
              public int[] rowExamples() {
                return loss.rowExamples();
              }

              @Override
              public long[][] rowTokens() {
                return loss.rowTokens();
              }

              @Override
              public double[] evaluate(int copies) {
                double[] v = loss.evaluate(copies);
                Arrays.fill(v, Double.NaN);
                return v;
              }
            };
      }
    };
  }

  @Test
  void aNanLossStopsTheRunAndLeavesTheLastCheckpointIntact() throws IOException {
    GrzoTrainConfig c = TrainFixtures.config(tmp.resolve("nan"), shortRun("checkpoint_every: 4, "));
    RunFolder files = new RunFolder(tmp.resolve("nan"));
    byte[][] atCheckpoint = new byte[1][];
    TrainerHooks hooks =
        new TrainerHooks() {
          @Override
          public BatchLoss wrapLoss(long step, BatchLoss loss) {
            return nanAt(6).wrapLoss(step, loss);
          }

          @Override
          public void afterCheckpoint(long step, Path dir) {
            try {
              atCheckpoint[0] = Files.readAllBytes(dir.resolve("model.safetensors"));
            } catch (IOException e) {
              throw new IllegalStateException(e);
            }
          }
        };
    assertThatThrownBy(() -> train(c, hooks))
        .isInstanceOf(NonFiniteLossException.class)
        .hasMessageStartingWith("step 6: the loss is not finite (loss+ NaN, loss- NaN)")
        .hasMessageContaining(
            "The last checkpoint, of step 4, is intact in " + files.lastCheckpoint());
    assertThat(TrainerState.read(files.lastCheckpoint()).step()).isEqualTo(4);
    assertThat(Files.readAllBytes(files.lastCheckpoint().resolve("model.safetensors")))
        .isEqualTo(atCheckpoint[0]);
    assertThat(Files.exists(files.file(GrzoTrainer.PLOT))).isFalse();
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        LanguageModel m = Models.load(files.lastCheckpoint(), ComputeDtype.FLOAT32, root)) {
      assertThat(m.parameters().numel()).isGreaterThan(0);
    }
    List<ObjectNode> metrics = MetricsWriter.readAll(files.metrics());
    ObjectNode last = metrics.get(metrics.size() - 1);
    assertThat(last.get("event").asText()).isEqualTo("skipped");
    assertThat(last.get("step").asLong()).isEqualTo(6);
  }

  @Test
  void withSkipTheNanStepIsLoggedAndTheRunGoesOn() throws IOException {
    GrzoTrainConfig c = TrainFixtures.config(tmp.resolve("skip"), shortRun("nan_policy: skip, "));
    TrainResult r = train(c, nanAt(6));
    assertThat(r.step()).isEqualTo(12);
    assertThat(r.skippedSteps()).isEqualTo(1);
    List<ObjectNode> seedLines = MetricsWriter.readAll(r.files().file(SeedLog.FILE));
    assertThat(seedLines)
        .hasSize(13); // the header, 11 applied steps and the skipped one (restore-only)
    assertThat(seedLines.stream().filter(l -> l.path("restore_only").asBoolean()))
        .singleElement()
        .satisfies(l -> assertThat(l.get("step").asLong()).isEqualTo(6));
    List<ObjectNode> skipped =
        MetricsWriter.readAll(r.files().metrics()).stream()
            .filter(l -> l.get("event").asText().equals("skipped"))
            .toList();
    assertThat(skipped).hasSize(1);
    assertThat(skipped.get(0).get("step").asLong()).isEqualTo(6);
    assertThat(MetricsWriter.number(skipped.get(0), "loss_plus")).isNaN();
    assertThat(LoopState.read(r.checkpoint()).skippedSteps()).isEqualTo(1);
  }

  @Test
  void mezoReplaysBitwiseAfterASkippedStep() throws IOException {
    GrzoTrainConfig c =
        TrainFixtures.config(
            tmp.resolve("mezo-skip"),
            shortRun("nan_policy: skip, ") + "optimizer: {name: mezo, lr: 1.0e-3}\n");
    TrainResult r = train(c, nanAt(6));
    assertThat(r.skippedSteps()).isEqualTo(1);
    Path replayed = tmp.resolve("replayed-mezo-skip");
    SeedLogReplay.rebuild(
        TrainFixtures.data("opt-tiny"), r.files().file(SeedLog.FILE), c, replayed);
    TrainerWeights.assertBitwiseEqual(
        TrainerWeights.read(replayed), TrainerWeights.read(r.checkpoint()));
  }

  @Test
  void positionEmbeddingsTrainAndReplayExactly() throws Exception {
    GrzoTrainConfig c =
        TrainFixtures.config(
            tmp.resolve("emb"), SHORT + "optimizer: {kinds: [linear, embedding]}\n");
    TrainResult r = train(c, TrainerHooks.NONE);
    assertThat(r.skippedSteps()).isZero();
    assertThat(lines(r.files().file(SeedLog.FILE))).allMatch(l -> l.contains("embed_positions"));
    Map<String, float[]> base = TrainerWeights.read(TrainFixtures.data("opt-tiny"));
    Map<String, float[]> trained = TrainerWeights.read(r.checkpoint());
    String positions = "model.decoder.embed_positions.weight";
    assertThat(Arrays.equals(base.get(positions), trained.get(positions)))
        .as("position embeddings trained")
        .isFalse();
    Path replayed = tmp.resolve("replayed-emb");
    SeedLogReplay.rebuild(
        TrainFixtures.data("opt-tiny"), r.files().file(SeedLog.FILE), c, replayed);
    TrainerWeights.assertBitwiseEqual(TrainerWeights.read(replayed), trained);
  }
}
