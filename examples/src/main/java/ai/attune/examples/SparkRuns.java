package ai.attune.examples;

import ai.attune.grzo.tasks.EvalMetrics;
import ai.attune.grzo.train.GrzoTrainConfig;
import ai.attune.grzo.train.GrzoTrainer;
import ai.attune.grzo.train.TrainResult;
import ai.attune.iapo.train.EvalSetResult;
import ai.attune.spark.eval.EvalSpec;
import ai.attune.spark.eval.IapoEvalSpec;
import ai.attune.spark.eval.SparkEvaluation;
import ai.attune.spark.eval.SparkIapoEvaluation;
import ai.attune.spark.train.SparkTrainOptions;
import ai.attune.spark.train.SparkTrainer;
import ai.attune.spark.train.WorkerReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The command line's way onto Spark ({@code --spark-master}). Spark is not packaged in {@code
 * attune.jar}: it is on the class path only when the jar runs through {@code spark-submit} (or
 * beside Spark's jars), so this class is loaded only after {@link #requireSpark} found it.
 */
final class SparkRuns {
  private static final Pattern LOCAL = Pattern.compile("local\\[(\\d+)(,\\d+)?]");

  private SparkRuns() {}

  /** Fails with what to do when Spark's classes are not on the class path. */
  static void requireSpark() {
    try {
      Class.forName("org.apache.spark.SparkContext", false, SparkRuns.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "--spark-master needs Apache Spark 4.x on the class path,"
              + " and attune.jar does not bundle it: run the jar through spark-submit (see"
              + " docs/scale-out.md), e.g. spark-submit --master local[2] --class"
              + " ai.attune.examples.AttuneCli attune.jar grzo train --config FILE"
              + " --spark-master local[2]");
    }
  }

  /**
   * The number of workers (or partitions): {@code --workers}, or N of {@code local[N]}; a cluster
   * master needs {@code --workers}.
   */
  static int workers(String master, Integer workers, String option) {
    if (workers != null) {
      if (workers < 1) {
        throw new IllegalArgumentException(option + " must be >= 1, got " + workers);
      }
      return workers;
    }
    Matcher m = LOCAL.matcher(master);
    if (m.matches()) {
      return Integer.parseInt(m.group(1));
    }
    throw new IllegalArgumentException(
        "--spark-master "
            + master
            + " needs "
            + option
            + " N (one model per task; the cluster must run N tasks at once)");
  }

  /** {@code grzo eval} over {@code partitions} Spark partitions. */
  static EvalMetrics evaluate(String master, int partitions, EvalSpec spec) {
    try (JavaSparkContext sc = new JavaSparkContext(conf("attune grzo eval", master))) {
      return SparkEvaluation.evaluate(sc, spec, partitions);
    }
  }

  /** {@code iapo eval} over {@code partitions} Spark partitions; samples to {@code samplesDir}. */
  static Map<String, EvalSetResult> evaluate(
      String master, int partitions, IapoEvalSpec spec, Path samplesDir) {
    try (JavaSparkContext sc = new JavaSparkContext(conf("attune iapo eval", master))) {
      return SparkIapoEvaluation.evaluate(sc, spec, partitions, samplesDir);
    }
  }

  private static SparkConf conf(String app, String master) {
    SparkConf conf = new SparkConf().setAppName(app).setMaster(master);
    Path jar =
        Path.of(SparkRuns.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    if (!conf.contains("spark.jars") && jar.toString().endsWith(".jar")) {
      conf.setJars(new String[] {jar.toString()});
    }
    return conf;
  }

  /** Trains on Spark and returns worker 0's result. */
  static TrainResult train(
      String master,
      int workers,
      int checksumEvery,
      GrzoTrainConfig c,
      String command,
      GrzoTrainer.Start start)
      throws IOException {
    try (JavaSparkContext sc = new JavaSparkContext(conf("attune grzo train", master))) {
      SparkTrainOptions o = SparkTrainOptions.of(workers);
      o = new SparkTrainOptions(workers, checksumEvery, o.roundTimeoutMillis(), o.failOnce());
      SparkTrainer.Outcome outcome = SparkTrainer.run(sc, c, command, start, o);
      for (WorkerReport w : outcome.workers()) {
        System.out.printf(
            Locale.ROOT,
            "worker %d: %d steps, weights checksum %08x, exchange" + " %.1f ms in all%n",
            w.rank(),
            w.steps(),
            w.checksum(),
            w.exchangeMillis());
      }
      return outcome.result();
    }
  }
}
