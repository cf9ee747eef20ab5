package ai.attune.grzo.tasks;

import java.nio.file.Path;

/**
 * A task data file that cannot be used as it is: a line that is not JSON, a missing field, a field
 * of the wrong type or a label out of range.
 *
 * <p>The message always starts with {@code file:line:} and, when one field is at fault, names it:
 * {@code data/rte/train.jsonl:17: field 'label': expected an integer in [0, 2), got 3 (number)}.
 */
public class TaskDataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final int line;
  private final String field;

  TaskDataException(Path file, int line, String field, String problem, Throwable cause) {
    super(
        file + ":" + line + ": " + (field == null ? "" : "field '" + field + "': ") + problem,
        cause);
    this.file = file;
    this.line = line;
    this.field = field;
  }

  /** The file at fault. */
  public Path file() {
    return file;
  }

  /** The 1-based line number at fault. */
  public int line() {
    return line;
  }

  /** The field at fault (dotted for nested fields: {@code answers.text}), or null for the line. */
  public String field() {
    return field;
  }
}
