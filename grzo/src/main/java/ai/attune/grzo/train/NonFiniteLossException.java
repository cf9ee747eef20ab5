package ai.attune.grzo.train;

/**
 * A step met a non-finite loss and {@code train.nan_policy} is {@code stop}: the run ended there
 * with the weights as they were before that step, and the checkpoint on disk (if any) is the last
 * one written before it.
 */
public class NonFiniteLossException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long step;
  private final long lastCheckpointStep;

  NonFiniteLossException(long step, String losses, long lastCheckpointStep, String checkpoint) {
    super(
        "step "
            + step
            + ": the loss is not finite ("
            + losses
            + "); the run stopped"
            + " (train.nan_policy: stop). "
            + (lastCheckpointStep > 0
                ? "The last checkpoint, of step "
                    + lastCheckpointStep
                    + ", is intact in "
                    + checkpoint
                : "No checkpoint had been written yet")
            + "; set train.nan_policy: skip to skip such steps instead");
    this.step = step;
    this.lastCheckpointStep = lastCheckpointStep;
  }

  /** The step whose loss was not finite. */
  public long step() {
    return step;
  }

  /** The step of the last checkpoint on disk, or 0 when none was written. */
  public long lastCheckpointStep() {
    return lastCheckpointStep;
  }
}
