package ai.attune.spark.train;

import ai.attune.grzo.train.GrzoTrainConfig;
import ai.attune.grzo.train.GrzoTrainer;
import ai.attune.grzo.train.TrainerHooks;
import ai.attune.spark.exchange.TcpExchange;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * The body of one task of the training barrier stage: one worker, one model. It shares its exchange
 * address through {@code BarrierTaskContext.allGather} (the only use of Spark's own barrier calls:
 * they poll once a second), connects the {@link TcpExchange}, and runs the trainer as a {@link
 * DataParallelWorker}, resuming from the run folder's checkpoint when there is one (every attempt
 * of the stage does: a rerun after a failed task continues where the last checkpoint left off).
 */
final class BarrierTrainTask
    extends AbstractFunction1<
        scala.collection.Iterator<Integer>, scala.collection.Iterator<WorkerReport>>
    implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String configYaml;
  private final String command;
  private final SparkTrainOptions options;

  BarrierTrainTask(String configYaml, String command, SparkTrainOptions options) {
    this.configYaml = configYaml;
    this.command = command;
    this.options = options;
  }

  @Override
  public scala.collection.Iterator<WorkerReport> apply(scala.collection.Iterator<Integer> rank) {
    return CollectionConverters.asScala(List.of(runWorker()).iterator());
  }

  private WorkerReport runWorker() {
    BarrierTaskContext ctx = BarrierTaskContext.get();
    ExecutorEngine.configure(ctx.cpus());
    int rank = ctx.partitionId();
    String host = ctx.getTaskInfos()[rank].address().replaceFirst(":[0-9]+$", "");
    GrzoTrainConfig config = GrzoTrainConfig.parse(configYaml, "the driver's config");
    try (TcpExchange.Listener listener = TcpExchange.listen(host)) {
      List<String> addresses = Arrays.asList(ctx.allGather(listener.address()));
      try (TcpExchange exchange = listener.connect(rank, addresses, options.roundTimeoutMillis())) {
        DataParallelWorker worker =
            new DataParallelWorker(exchange, options.checksumEvery(), config.train().steps());
        long[] steps = new long[1];
        TrainerHooks hooks =
            new TrainerHooks() {
              @Override
              public void beforeStep(long step) {
                steps[0]++;
                options.failOnce().check(rank, ctx.stageAttemptNumber(), step);
              }
            };
        new GrzoTrainer(config, command, hooks, false, worker).run(GrzoTrainer.Start.AUTO);
        return new WorkerReport(
            rank,
            ctx.stageAttemptNumber(),
            worker.lastChecksum(),
            steps[0],
            worker.stepNanos() / 1e6,
            worker.exchangeNanos() / 1e6);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("worker " + rank + ": " + e.getMessage(), e);
    }
  }
}
