package ai.attune.grzo.train;

import ai.attune.core.run.TrainerState;
import ai.attune.grzo.tasks.EvalMetrics;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The GRZO/MeZO loop's part of a checkpoint's {@link TrainerState} (its {@code loop} object): what
 * the loop needs besides the step, the seed and the log line counts to continue exactly as an
 * uninterrupted run, and what the summary reports.
 *
 * @param steps the planned number of steps
 * @param recentLosses the training losses of the last steps (at most the moving-average window),
 *     oldest first
 * @param skippedSteps how many steps met a non-finite loss and were skipped
 * @param before the evaluation before training (test, or dev without a test set)
 * @param after the evaluation after training, or null until the run has finished
 * @param bestDevMetric the best dev metric seen at an evaluation, or null
 * @param bestDevStep the step of {@code bestDevMetric}, or 0
 * @param finished whether the run has ended (all steps, or the target loss reached)
 * @param targetReachedAt the step at which the loss average reached {@code train.target_loss}, or 0
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LoopState(
    long steps,
    List<Double> recentLosses,
    long skippedSteps,
    EvalMetrics before,
    EvalMetrics after,
    Double bestDevMetric,
    long bestDevStep,
    boolean finished,
    long targetReachedAt) {

  public LoopState {
    recentLosses = List.copyOf(recentLosses);
  }

  /** The loop state of {@code checkpoint}'s trainer state. */
  public static LoopState read(Path checkpoint) throws IOException {
    return TrainerState.read(checkpoint).loop(LoopState.class);
  }
}
