package ai.attune.grzo.train;

import ai.attune.grzo.optim.BatchLoss;
import ai.attune.grzo.optim.ZerothOrderOptimizer;
import ai.attune.grzo.optim.ZoStep;
import ai.attune.grzo.tasks.TaskExample;
import ai.attune.models.LanguageModel;
import java.util.List;
import java.util.function.Function;

/**
 * How one training process takes part in a run: {@link #SINGLE} trains alone; a data-parallel
 * worker (the {@code attune-spark} module) evaluates its share of each global batch, exchanges
 * losses with the other workers and applies the same update as they do.
 *
 * <p>Only the worker that {@link #writesFiles()} writes the run folder (metrics, seed log,
 * checkpoints, plot) and runs the evaluations; every worker reads the same checkpoint on resume.
 */
public interface TrainWorker {
  /** One process, the whole batch: {@link ZerothOrderOptimizer#step}. */
  TrainWorker SINGLE =
      new TrainWorker() {
        @Override
        public boolean writesFiles() {
          return true;
        }

        @Override
        public ZoStep step(
            ZerothOrderOptimizer optimizer,
            LanguageModel model,
            long step,
            long seed,
            double learningRate,
            List<TaskExample> batch,
            Function<List<TaskExample>, BatchLoss> lossOf) {
          return optimizer.step(step, seed, learningRate, lossOf.apply(batch));
        }
      };

  /** Whether this process writes the run's files and evaluates (one worker of a run does). */
  boolean writesFiles();

  /**
   * One optimizer step over the global batch {@code batch}.
   *
   * @param model the model the optimizer updates (for weight checksums)
   * @param lossOf the batch loss of any list of examples (encoded in the step's manager)
   */
  ZoStep step(
      ZerothOrderOptimizer optimizer,
      LanguageModel model,
      long step,
      long seed,
      double learningRate,
      List<TaskExample> batch,
      Function<List<TaskExample>, BatchLoss> lossOf);
}
