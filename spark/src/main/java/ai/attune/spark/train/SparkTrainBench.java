package ai.attune.spark.train;

import ai.attune.core.run.AtomicFiles;
import ai.attune.grzo.train.GrzoTrainConfig;
import ai.attune.grzo.train.GrzoTrainer;
import ai.attune.spark.exchange.TcpExchange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Bench: data-parallel GRZO on {@code local[2]} (CPU) with 1 and 2 workers on the same global
 * batch; prints, per worker count, the steps per second of the training loop (model loading and
 * evaluations left out) and the exchange overhead per step (time in exchange rounds, which includes
 * waiting for the slowest worker).
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
    SparkConf conf =
        new SparkConf()
            .setMaster("local[2]")
            .setAppName("attune-spark-bench")
            .set("spark.ui.enabled", "false")
            .set("spark.log.level", "WARN");
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      System.out.printf(
          Locale.ROOT,
          "%s, global batch %d, %d steps, local[2], %s%n",
          config.optimizer().name(),
          config.train().batchSize(),
          config.train().steps(),
          config.model().dir());
      System.out.println("workers  steps/s  step_ms  exchange_ms/step (incl. waiting)");
      for (int workers : new int[] {1, 2}) {
        Path out = Files.createTempDirectory("attune-spark-bench");
        GrzoTrainConfig c = config.withOutputDir(out);
        SparkTrainer.Outcome o;
        try {
          o =
              SparkTrainer.run(
                  sc,
                  c,
                  "bench",
                  GrzoTrainer.Start.FRESH,
                  new SparkTrainOptions(
                      workers, 0, 30 * 60_000L, SparkTrainOptions.FailOnce.NEVER));
        } finally {
          AtomicFiles.deleteTree(out); // the bench's run folder: only its timings are reported
        }
        WorkerReport slowest =
            o.workers().stream()
                .max(java.util.Comparator.comparingDouble(WorkerReport::stepMillis))
                .orElseThrow();
        double stepMs = slowest.stepMillis() / slowest.steps();
        double exchangeMs =
            o.workers().stream().mapToDouble(WorkerReport::exchangeMillis).average().orElseThrow()
                / slowest.steps();
        System.out.printf(
            Locale.ROOT, "%7d  %7.2f  %7.1f  %16.3f%n", workers, 1000 / stepMs, stepMs, exchangeMs);
      }
    }
    roundLatency(config.train().batchSize(), 2000);
  }

  /**
   * The exchange alone: {@code rounds} all-gather rounds of two TCP workers on loopback, each
   * sending the losses of half a global batch of {@code batch} (as a GRZO step does), no model.
   */
  static void roundLatency(int batch, int rounds) throws Exception {
    List<TcpExchange.Listener> listeners =
        List.of(TcpExchange.listen("127.0.0.1"), TcpExchange.listen("127.0.0.1"));
    List<String> addresses = List.of(listeners.get(0).address(), listeners.get(1).address());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<long[]>> timings = new ArrayList<>();
      for (int rank = 0; rank < 2; rank++) {
        int r = rank;
        timings.add(
            pool.submit(
                () -> {
                  try (TcpExchange e = listeners.get(r).connect(r, addresses, 60_000)) {
                    double[] half = new double[batch / 2];
                    long[] nanos = new long[rounds];
                    for (int k = 0; k < rounds; k++) {
                      long t0 = System.nanoTime();
                      e.allGather(Wire.losses(k, half, half));
                      nanos[k] = System.nanoTime() - t0;
                    }
                    return nanos;
                  }
                }));
      }
      long[] nanos = timings.get(1).get();
      timings.get(0).get();
      Arrays.sort(nanos);
      System.out.printf(
          Locale.ROOT,
          "exchange round alone (TCP loopback, 2 workers, %d bytes"
              + " each): median %.3f ms, p90 %.3f ms over %d rounds%n",
          Wire.losses(0, new double[batch / 2], new double[batch / 2]).length,
          nanos[rounds / 2] / 1e6,
          nanos[rounds * 9 / 10] / 1e6,
          rounds);
    } finally {
      pool.shutdown();
    }
  }
}
