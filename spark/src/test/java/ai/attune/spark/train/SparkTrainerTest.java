package ai.attune.spark.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.grzo.replay.SeedLog;
import ai.attune.grzo.train.GrzoTrainConfig;
import ai.attune.grzo.train.GrzoTrainer;
import ai.attune.grzo.train.SeedLogReplay;
import ai.attune.grzo.train.TrainResult;
import ai.attune.grzo.train.TrainerHooks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel training in {@code local[2]} against one process on the same global batch: the same
 * weights, worker 0's seed log replays them, and a run whose task failed once resumes from its
 * checkpoint to the uninterrupted run's weights.
 */
@Tag("e2e")
class SparkTrainerTest {
  private static JavaSparkContext sc;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    sc = SparkFixtures.shared();
  }

  static TrainResult single(GrzoTrainConfig c) throws IOException {
    return new GrzoTrainer(c, "test", TrainerHooks.NONE).run(GrzoTrainer.Start.FRESH);
  }

  static SparkTrainer.Outcome parallel(JavaSparkContext sc, GrzoTrainConfig c, SparkTrainOptions o)
      throws IOException {
    return SparkTrainer.run(sc, c, "test", GrzoTrainer.Start.FRESH, o);
  }

  /** Asserts that 2 workers reach the 1-process weights (and trained), returns their weights. */
  static Map<String, float[]> assertSameAsOneProcess(
      String label, TrainResult one, SparkTrainer.Outcome two) {
    Map<String, float[]> base = SparkFixtures.weights(SparkFixtures.data("opt-tiny"));
    Map<String, float[]> w1 = SparkFixtures.weights(one.checkpoint());
    Map<String, float[]> w2 = SparkFixtures.weights(two.result().checkpoint());
    double diff = SparkFixtures.maxAbsDiff(w1, w2);
    System.out.printf(
        "%s: 2 workers vs 1 process, max |diff| %.3g; %d tensors trained%n",
        label, diff, SparkFixtures.differing(base, w2));
    assertThat(SparkFixtures.differing(base, w2)).isGreaterThan(10);
    assertThat(diff).isLessThanOrEqualTo(1e-6);
    assertThat(two.workers()).hasSize(2);
    assertThat(two.workers().get(0).checksum())
        .isEqualTo(two.workers().get(1).checksum())
        .isNotZero();
    assertThat(two.result().step()).isEqualTo(one.step());
    return w2;
  }

  @Test
  void grzoOnTwoWorkersMatchesOneProcessReplaysAndResumesExactlyAfterAFailedTask()
      throws IOException {
    TrainResult one = single(SparkFixtures.config(tmp.resolve("one"), ""));
    GrzoTrainConfig c = SparkFixtures.config(tmp.resolve("two"), "");
    SparkTrainer.Outcome two = parallel(sc, c, SparkTrainOptions.of(2));
    Map<String, float[]> w2 = assertSameAsOneProcess("grzo", one, two);

    Path replayed = tmp.resolve("replayed");
    int steps =
        SeedLogReplay.rebuild(
            SparkFixtures.data("opt-tiny"), two.result().files().file(SeedLog.FILE), c, replayed);
    assertThat(steps).isEqualTo(6);
    assertThat(SparkFixtures.maxAbsDiff(SparkFixtures.weights(replayed), w2)).isZero();

    GrzoTrainConfig failing = SparkFixtures.config(tmp.resolve("failed"), "");
    SparkTrainer.Outcome resumed =
        parallel(
            sc,
            failing,
            SparkTrainOptions.of(2).withFailOnce(new SparkTrainOptions.FailOnce(1, 5)));
    assertThat(resumed.workers()).allSatisfy(w -> assertThat(w.stageAttempt()).isEqualTo(1));
    // the rerun started after the step-3 checkpoint: steps 4, 5 and 6
    assertThat(resumed.workers()).allSatisfy(w -> assertThat(w.steps()).isEqualTo(3));
    assertThat(SparkFixtures.maxAbsDiff(w2, SparkFixtures.weights(resumed.result().checkpoint())))
        .isZero();
    assertThat(withoutTimes(resumed.result().files().file(SeedLog.FILE)))
        .isEqualTo(withoutTimes(two.result().files().file(SeedLog.FILE)));
  }

  @Test
  void mezoOnTwoWorkersMatchesOneProcess() throws IOException {
    String mezo = "optimizer: {name: mezo, lr: 1.0e-3}\n";
    TrainResult one = single(SparkFixtures.config(tmp.resolve("one"), mezo));
    SparkTrainer.Outcome two =
        parallel(sc, SparkFixtures.config(tmp.resolve("two"), mezo), SparkTrainOptions.of(2));
    assertSameAsOneProcess("mezo", one, two);
  }

  /** A seed log's lines without their wall-clock times. */
  static String withoutTimes(Path log) throws IOException {
    return Files.readString(log).replaceAll("\"time\":[-0-9.E]+,", "");
  }
}
