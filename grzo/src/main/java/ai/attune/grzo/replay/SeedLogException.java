package ai.attune.grzo.replay;

/**
 * A seed log that cannot be replayed: missing, torn, edited, or written for another model, device,
 * engine or optimizer. The message names the file (and the line, when one is at fault) and says
 * what differs.
 */
public class SeedLogException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SeedLogException(String message) {
    super(message);
  }

  public SeedLogException(String message, Throwable cause) {
    super(message, cause);
  }
}
