package ai.attune.grzo.train;

import ai.attune.core.run.RunFolder;
import ai.attune.grzo.replay.SeedLog;
import ai.attune.grzo.tasks.EvalMetrics;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a finished run did and where it wrote.
 *
 * @param step the last step whose update the final weights hold
 * @param steps the planned number of steps
 * @param alreadyComplete true when the run folder already held the finished run, so nothing was
 *     trained
 * @param targetReachedAt the step at which the training loss average reached {@code
 *     train.target_loss}, or 0
 * @param skippedSteps steps skipped for a non-finite loss
 * @param split the split of {@code before} and {@code after} ({@code test} or {@code dev})
 * @param before the evaluation before training
 * @param after the evaluation after training
 * @param files the run folder
 * @param checkpoint the final checkpoint (an HF model folder plus the trainer's state)
 * @param plotted whether {@code loss.png} was drawn
 * @param seconds wall time of this invocation
 */
public record TrainResult(
    long step,
    long steps,
    boolean alreadyComplete,
    long targetReachedAt,
    long skippedSteps,
    String split,
    EvalMetrics before,
    EvalMetrics after,
    RunFolder files,
    Path checkpoint,
    boolean plotted,
    double seconds) {

  /** The final report: before/after metric, metrics file, plot and checkpoint. */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    String target =
        targetReachedAt > 0 ? " (target loss reached at step " + targetReachedAt + ")" : "";
    String skipped = skippedSteps > 0 ? ", " + skippedSteps + " skipped" : "";
    if (alreadyComplete) {
      sb.append(
          String.format(
              Locale.ROOT,
              "the run in %s was already complete (%d of %d steps%s" + "%s)%n",
              files.dir(),
              step,
              steps,
              target,
              skipped));
    } else {
      sb.append(
          String.format(
              Locale.ROOT,
              "trained %d of %d steps%s%s in %.1f s%n",
              step,
              steps,
              target,
              skipped,
              seconds));
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "%s %s (%d examples): %.4f -> %.4f (loss %.4f -> %.4f)%n",
            split,
            after.metric(),
            after.n(),
            before.value(),
            after.value(),
            before.loss(),
            after.loss()));
    sb.append("metrics:    ").append(files.metrics()).append('\n');
    sb.append("seed log:   ").append(files.file(SeedLog.FILE)).append('\n');
    if (plotted) {
      sb.append("plot:       ").append(files.file(GrzoTrainer.PLOT)).append('\n');
    }
    sb.append("checkpoint: ").append(checkpoint).append('\n');
    return sb.toString();
  }
}
