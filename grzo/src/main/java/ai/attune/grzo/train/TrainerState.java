package ai.attune.grzo.train;

import ai.attune.core.config.Mappers;
import ai.attune.core.run.AtomicFiles;
import ai.attune.grzo.tasks.EvalMetrics;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code trainer_state.json} of a checkpoint: everything besides the weights that a resumed run
 * needs to continue exactly as an uninterrupted one, and what the summary reports.
 *
 * @param step the last step whose update the checkpoint's weights hold
 * @param steps the planned number of steps
 * @param seed the run seed (batches and step seeds derive from it and the step)
 * @param seedLogLines lines of {@code seed_log.jsonl} written up to {@code step}
 * @param metricsLines lines of {@code metrics.jsonl} written up to {@code step}
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
public record TrainerState(
    long step,
    long steps,
    long seed,
    long seedLogLines,
    long metricsLines,
    List<Double> recentLosses,
    long skippedSteps,
    EvalMetrics before,
    EvalMetrics after,
    Double bestDevMetric,
    long bestDevStep,
    boolean finished,
    long targetReachedAt) {

  /** The file name inside a checkpoint folder. */
  public static final String FILE = "trainer_state.json";

  public TrainerState {
    recentLosses = List.copyOf(recentLosses);
  }

  /** Writes the state atomically as {@code dir/trainer_state.json}. */
  public void write(Path dir) throws IOException {
    AtomicFiles.write(dir.resolve(FILE), out -> Mappers.json().writeValue(out, this));
  }

  /** Reads {@code dir/trainer_state.json}. */
  public static TrainerState read(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    try {
      return Mappers.json().readValue(file.toFile(), TrainerState.class);
    } catch (NoSuchFileException e) {
      throw new IOException(dir + " is not a training checkpoint (no " + FILE + ")", e);
    }
  }
}
