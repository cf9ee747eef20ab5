package ai.attune.grzo.api;

import ai.attune.grzo.tasks.EvalMetrics;
import java.nio.file.Path;

/**
 * Called by a {@link ZerothOrderTraining} run as it goes: after every step (the one abstract
 * method, so a lambda is a listener), after every evaluation and after every periodic checkpoint.
 * The run's own files ({@code metrics.jsonl}, the seed log, {@code checkpoints/}, {@code loss.png})
 * and its progress lines in the log are written whatever the listeners do.
 *
 * <p>Lifecycle: registered on the builder ({@code optListener}); called on the training thread, in
 * registration order, for the steps this invocation runs (a resumed run does not replay the calls
 * of the steps before its checkpoint). A listener that throws stops the run; the last checkpoint
 * stays intact.
 */
@FunctionalInterface
public interface TrainingListener {

  /** After step {@code step.step()} (a skipped step, with a non-finite loss, is not reported). */
  void onStep(StepInfo step);

  /** After an evaluation of {@code split} ({@code dev} or {@code test}) at {@code step}. */
  default void onEvaluation(long step, String split, EvalMetrics metrics) {}

  /** After the periodic checkpoint of step {@code step} was written to {@code dir}. */
  default void onCheckpoint(long step, Path dir) {}

  /**
   * What one step did.
   *
   * @param step the step, 1-based
   * @param loss the batch's mean loss over the step's perturbed passes
   * @param lossAverage the moving average of {@code loss} over the last 10 steps
   * @param learningRate the step's learning rate (after the schedule)
   * @param meanAbsCoefficient GRZO: the mean |a_i| of the step's coefficients; MeZO: |g|
   */
  record StepInfo(
      long step, double loss, double lossAverage, double learningRate, double meanAbsCoefficient) {}
}
