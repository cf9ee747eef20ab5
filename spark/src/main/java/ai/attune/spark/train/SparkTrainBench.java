package ai.attune.spark.train;

import ai.attune.grzo.train.GrzoTrainConfig;
import ai.attune.grzo.train.GrzoTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Bench: data-parallel GRZO on {@code local[2]} (CPU) with 1 and 2 workers on the same global
 * batch; prints, per worker count, the steps per second of the training loop (model loading and
 * evaluations left out) and the exchange overhead per step (time in exchange rounds, which
 * includes waiting for the slowest worker).
 *
 * <p>Usage: {@code SparkTrainBench CONFIG.yaml [STEPS]} with any {@code grzo train} config; the
 * runs go to temporary folders.
 */
public final class SparkTrainBench {
  private SparkTrainBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: SparkTrainBench CONFIG.yaml [STEPS]");
      System.exit(2);
    }
    GrzoTrainConfig config = GrzoTrainConfig.read(Path.of(args[0]));
    if (args.length > 1) {
      config = config.withSteps(Integer.parseInt(args[1]));
    }
    SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("attune-spark-bench")
        .set("spark.ui.enabled", "false").set("spark.log.level", "WARN");
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      System.out.printf(Locale.ROOT, "%s, global batch %d, %d steps, local[2], %s%n",
          config.optimizer().name(), config.train().batchSize(), config.train().steps(),
          config.model().dir());
      System.out.println("workers  steps/s  step_ms  exchange_ms/step (incl. waiting)");
      for (int workers : new int[] {1, 2}) {
        Path out = Files.createTempDirectory("attune-spark-bench");
        GrzoTrainConfig c = config.withOutputDir(out);
        SparkTrainer.Outcome o = SparkTrainer.run(sc, c, "bench", GrzoTrainer.Start.FRESH,
            new SparkTrainOptions(workers, 0, 30 * 60_000L, SparkTrainOptions.FailOnce.NEVER));
        WorkerReport slowest = o.workers().stream()
            .max(java.util.Comparator.comparingDouble(WorkerReport::stepMillis)).orElseThrow();
        double stepMs = slowest.stepMillis() / slowest.steps();
        double exchangeMs = o.workers().stream().mapToDouble(WorkerReport::exchangeMillis)
            .average().orElseThrow() / slowest.steps();
        System.out.printf(Locale.ROOT, "%7d  %7.2f  %7.1f  %16.3f%n", workers, 1000 / stepMs,
            stepMs, exchangeMs);
      }
    }
  }
}
