package ai.attune.spark.train;

import ai.attune.core.run.RunFolder;
import ai.attune.grzo.train.GrzoTrainConfig;
import ai.attune.grzo.train.GrzoTrainer;
import ai.attune.grzo.train.TrainResult;
import ai.attune.grzo.train.TrainerHooks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.reflect.ClassTag$;

/**
 * Data-parallel MeZO or GRZO on Spark: one long-running barrier stage of {@code workers} tasks,
 * each holding one model and evaluating its share of every global batch ({@link
 * DataParallelWorker}); an N-worker run reaches the weights of the one-process run with the same
 * {@code train.batch_size}. Worker 0 writes the run folder exactly as {@link GrzoTrainer} does
 * (metrics, seed log, checkpoints, plot), so {@code grzo replay} and resumption work unchanged.
 *
 * <p>{@code output.dir} (and the model and data paths) must be visible to the driver and every
 * executor under the same path (one machine, or a shared file system). A failed task fails the
 * stage; Spark reruns it (up to {@code spark.stage.maxConsecutiveAttempts}) and the new attempt
 * resumes from the last checkpoint, which a resumed run continues exactly.
 */
public final class SparkTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(SparkTrainer.class);

  private SparkTrainer() {}

  /**
   * What the run did: the run's result (read back from worker 0's run folder, timed on the driver)
   * and every worker's report.
   */
  public record Outcome(TrainResult result, List<WorkerReport> workers) {}

  /**
   * Trains as {@code config} says on {@code sc}; {@code start} as {@link GrzoTrainer#run} (a fresh
   * start clears the folder here, on the driver, before any task looks at it).
   */
  public static Outcome run(
      JavaSparkContext sc,
      GrzoTrainConfig config,
      String command,
      GrzoTrainer.Start start,
      SparkTrainOptions options)
      throws IOException {
    long t0 = System.nanoTime();
    RunFolder files = new RunFolder(Path.of(config.output().dir()));
    Shard.of(config.train().batchSize(), options.workers(), 0);
    if (start == GrzoTrainer.Start.FRESH) {
      files.clear(GrzoTrainer.LOGS);
    } else if (start == GrzoTrainer.Start.RESUME && !files.hasCheckpoint()) {
      throw new IllegalStateException(
          "nothing to resume: " + files.dir() + " holds no complete checkpoint");
    }
    LOG.info(
        "training on {} with {} workers (global batch {})",
        sc.master(),
        options.workers(),
        config.train().batchSize());
    // the barrier stage feeds a shuffle: Spark reruns a failed barrier shuffle-map stage, never a
    // failed barrier result stage
    List<Integer> ranks = IntStream.range(0, options.workers()).boxed().toList();
    List<WorkerReport> reports =
        sc.parallelize(ranks, options.workers())
            .rdd()
            .barrier()
            .mapPartitions(
                new BarrierTrainTask(config.toYaml(), command, options),
                false,
                ClassTag$.MODULE$.apply(WorkerReport.class))
            .toJavaRDD()
            .repartition(1)
            .collect();
    reports =
        reports.stream().sorted(java.util.Comparator.comparingInt(WorkerReport::rank)).toList();
    long first = reports.get(0).checksum();
    for (WorkerReport r : reports) {
      if (r.checksum() != first) {
        throw new IllegalStateException("the workers ended with different weights: " + reports);
      }
    }
    TrainResult r =
        new GrzoTrainer(config, command, TrainerHooks.NONE).run(GrzoTrainer.Start.RESUME);
    boolean trained = reports.stream().anyMatch(w -> w.steps() > 0);
    TrainResult result =
        new TrainResult(
            r.step(),
            r.steps(),
            !trained,
            r.targetReachedAt(),
            r.skippedSteps(),
            r.split(),
            r.before(),
            r.after(),
            r.files(),
            r.checkpoint(),
            r.plotted(),
            (System.nanoTime() - t0) / 1e9);
    return new Outcome(result, reports);
  }
}
