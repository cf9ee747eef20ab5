package ai.attune.iapo.tools;

/**
 * A tool call that cannot be carried out because of its arguments or the state of the rollout (a
 * box past the image, an unknown row name, an image index that does not exist). The message is
 * written for the model: it says what is wrong and, where it helps, what would be valid.
 */
public class ToolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ToolException(String message) {
    super(message);
  }
}
