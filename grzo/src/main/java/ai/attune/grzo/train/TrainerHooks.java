package ai.attune.grzo.train;

import ai.attune.grzo.optim.BatchLoss;
import ai.attune.grzo.optim.ZoStep;
import ai.attune.grzo.tasks.EvalMetrics;
import java.nio.file.Path;

/**
 * Points where code outside the trainer can look into (or break) a run: tests use them to inject a
 * non-finite loss at a given step or to kill a run after a checkpoint, and the public API ({@code
 * ai.attune.grzo.api}) calls its listeners from them. Every method does nothing by default. Only
 * the worker that writes the run's files calls {@link #afterStep} and {@link #afterEvaluation}.
 */
public interface TrainerHooks {
  /** No hooks. */
  TrainerHooks NONE = new TrainerHooks() {};

  /** Called before step {@code step} (1-based) draws its batch. */
  default void beforeStep(long step) {}

  /** The batch loss step {@code step} optimizes; return {@code loss} to leave it as it is. */
  default BatchLoss wrapLoss(long step, BatchLoss loss) {
    return loss;
  }

  /**
   * Called after step {@code result.step()} is logged (not for a skipped step), with the moving
   * average of the training loss over the last {@value GrzoTrainer#LOSS_WINDOW} steps.
   */
  default void afterStep(ZoStep result, double lossAverage) {}

  /** Called after an evaluation of {@code split} ({@code dev} or {@code test}) at {@code step}. */
  default void afterEvaluation(long step, String split, EvalMetrics metrics) {}

  /** Called after the checkpoint of step {@code step} is on disk, in {@code dir}. */
  default void afterCheckpoint(long step, Path dir) {}
}
