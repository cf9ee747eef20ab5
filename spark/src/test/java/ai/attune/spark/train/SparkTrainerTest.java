package ai.attune.spark.train;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel training in {@code local[2]} against one process on the same global batch: the
 * same weights, the same seed log, exact resumption after a failed task.
 */
class SparkTrainerTest {
  private static JavaSparkContext sc;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    sc = SparkFixtures.local(2);
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  private static TrainResult single(GrzoTrainConfig c) throws IOException {
    return new GrzoTrainer(c, "test", TrainerHooks.NONE).run(GrzoTrainer.Start.FRESH);
  }

  private static SparkTrainer.Outcome parallel(GrzoTrainConfig c, SparkTrainOptions o)
      throws IOException {
    return SparkTrainer.run(sc, c, "test", GrzoTrainer.Start.FRESH, o);
  }

  @Test
  void twoWorkersReachTheOneProcessWeightsAndReplayFromWorkerZerosSeedLog() throws IOException {
    for (String optimizer : new String[] {"{name: grzo}", "{name: grzo, fused: true}",
        "{name: mezo, lr: 1.0e-3, exact_restore: true}"}) {
      String tag = optimizer.replaceAll("[^a-z0-9]+", "-");
      String extra = "optimizer: " + optimizer + "\n";
      TrainResult one = single(SparkFixtures.config(tmp.resolve("one" + tag), extra));
      GrzoTrainConfig c = SparkFixtures.config(tmp.resolve("two" + tag), extra);
      SparkTrainer.Outcome two = parallel(c, SparkTrainOptions.of(2));

      Map<String, float[]> base = SparkFixtures.weights(SparkFixtures.data("opt-tiny"));
      Map<String, float[]> w1 = SparkFixtures.weights(one.files().checkpoint());
      Map<String, float[]> w2 = SparkFixtures.weights(two.result().files().checkpoint());
      double diff = SparkFixtures.maxAbsDiff(w1, w2);
      System.out.printf("%s: 2 workers vs 1 process, max |diff| %.3g; %d tensors trained%n",
          optimizer, diff, SparkFixtures.differing(base, w2));
      assertThat(SparkFixtures.differing(base, w2)).isGreaterThan(10);
      assertThat(diff).isLessThanOrEqualTo(1e-6);
      assertThat(two.workers()).hasSize(2);
      assertThat(two.workers().get(0).checksum()).isEqualTo(two.workers().get(1).checksum())
          .isNotZero();
      assertThat(two.result().step()).isEqualTo(6);
      assertThat(Files.readAllLines(two.result().files().seedLog())).hasSize(6);

      Path replayed = tmp.resolve("replayed" + tag);
      int steps = SeedLogReplay.rebuild(SparkFixtures.data("opt-tiny"),
          two.result().files().seedLog(), c, replayed);
      assertThat(steps).isEqualTo(6);
      assertThat(SparkFixtures.maxAbsDiff(SparkFixtures.weights(replayed), w2)).isZero();
    }
  }

  @Test
  void aFailedTaskRerunsTheStageWhichResumesFromTheCheckpointExactly() throws IOException {
    SparkTrainOptions o = SparkTrainOptions.of(2);
    GrzoTrainConfig clean = SparkFixtures.config(tmp.resolve("clean"), "");
    SparkTrainer.Outcome uninterrupted = parallel(clean, o);
    GrzoTrainConfig c = SparkFixtures.config(tmp.resolve("failed"), "");
    SparkTrainer.Outcome resumed =
        parallel(c, o.withFailOnce(new SparkTrainOptions.FailOnce(1, 5)));

    assertThat(resumed.workers()).allSatisfy(w -> assertThat(w.stageAttempt()).isEqualTo(1));
    // the rerun started after the step-3 checkpoint: steps 4, 5 and 6
    assertThat(resumed.workers()).allSatisfy(w -> assertThat(w.steps()).isEqualTo(3));
    assertThat(SparkFixtures.maxAbsDiff(
        SparkFixtures.weights(uninterrupted.result().files().checkpoint()),
        SparkFixtures.weights(resumed.result().files().checkpoint()))).isZero();
    assertThat(Files.readString(resumed.result().files().seedLog()))
        .isEqualTo(Files.readString(uninterrupted.result().files().seedLog()));
  }
}
