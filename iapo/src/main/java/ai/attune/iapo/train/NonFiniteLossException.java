package ai.attune.iapo.train;

/**
 * A step whose loss or gradient norm is not finite. The trainer stops without updating the weights
 * or writing a checkpoint, so the last checkpoint stays intact.
 */
public class NonFiniteLossException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long step;

  /** A non-finite {@code what} at {@code step}. */
  public NonFiniteLossException(long step, String what, Throwable cause) {
    super("step " + step + ": " + what + "; stopping (the last checkpoint is left intact)", cause);
    this.step = step;
  }

  /** The step at which it happened. */
  public long step() {
    return step;
  }
}
