package ai.attune.grzo.train;

import static ai.attune.core.config.InvalidSettingException.nonNegative;
import static ai.attune.core.config.InvalidSettingException.positive;
import static ai.attune.core.config.InvalidSettingException.require;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The {@code train} section: the loop.
 *
 * @param steps the number of optimizer steps (default 20000, the paper's)
 * @param batchSize examples per step, B (default 16, the paper's)
 * @param seed the run seed: step {@code t} draws its noise from {@code derive(seed, t)} and its
 *     batch from {@code derive(seed, epoch)} (default 42)
 * @param evalEvery evaluate on the dev set every this many steps; 0 = only before and after
 *     training (default 4000, the paper's)
 * @param evalBatchSize examples per evaluation forward (default 32)
 * @param checkpointEvery write a checkpoint ({@code checkpoints/step-<n>/}) every this many steps;
 *     0 = only at the end (default 1000)
 * @param keepCheckpoints how many of the newest checkpoints to keep (default 1)
 * @param logEvery log a progress line (rate, ETA, loss) every this many steps (default 10)
 * @param nanPolicy {@code stop} (default) ends the run at a non-finite loss, {@code skip} leaves
 *     the weights alone for that step and goes on
 * @param targetLoss optional: stop early once the moving average of the training loss over the last
 *     {@value GrzoTrainer#LOSS_WINDOW} steps is at or below this value
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrainSection(
    int steps,
    int batchSize,
    long seed,
    int evalEvery,
    int evalBatchSize,
    int checkpointEvery,
    int keepCheckpoints,
    int logEvery,
    NanPolicy nanPolicy,
    Double targetLoss) {

  public TrainSection {
    positive(steps, "train.steps");
    positive(batchSize, "train.batch_size");
    nonNegative(evalEvery, "train.eval_every");
    positive(evalBatchSize, "train.eval_batch_size");
    nonNegative(checkpointEvery, "train.checkpoint_every");
    positive(keepCheckpoints, "train.keep_checkpoints");
    positive(logEvery, "train.log_every");
    require(nanPolicy != null, "train.nan_policy", "required field is missing");
    require(
        targetLoss == null || Double.isFinite(targetLoss),
        "train.target_loss",
        "must be a finite number, got " + targetLoss);
  }

  /** A copy with another number of steps. */
  public TrainSection withSteps(int newSteps) {
    return new TrainSection(
        newSteps,
        batchSize,
        seed,
        evalEvery,
        evalBatchSize,
        checkpointEvery,
        keepCheckpoints,
        logEvery,
        nanPolicy,
        targetLoss);
  }
}
