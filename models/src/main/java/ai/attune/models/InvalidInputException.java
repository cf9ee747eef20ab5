package ai.attune.models;

/**
 * Token ids or an attention mask a model cannot run on, found before any tensor op: the wrong dtype
 * or shape, an empty row, an id outside the vocabulary, or a sequence longer than the position
 * table. The message names the tensor, the row and position, the value and the limit.
 */
public class InvalidInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }
}
