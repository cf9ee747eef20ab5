package ai.attune.grzo.train;

import ai.attune.grzo.optim.BatchLoss;

/**
 * Points where code outside the trainer can look into (or break) a run: tests use them to inject a
 * non-finite loss at a given step or to kill a run after a checkpoint. Every method does nothing by
 * default.
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

  /** Called after the checkpoint of step {@code step} is on disk. */
  default void afterCheckpoint(long step) {}
}
