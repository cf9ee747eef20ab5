package ai.attune.grzo.tasks;

import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * Turns task examples into an {@link EncodedBatch} in a manager of the caller's. All examples of
 * one batch must share one objective and one number of options.
 */
public interface TaskEncoder {

  /**
   * The batch a training step scores: every option of a classification example; only the correct
   * option (as option 0) of a choice or generation example, whose loss is the LM loss of that
   * option alone.
   */
  EncodedBatch forTraining(List<TaskExample> examples, NDManager manager);

  /** The batch evaluation scores: every option of every example. */
  EncodedBatch forScoring(List<TaskExample> examples, NDManager manager);
}
