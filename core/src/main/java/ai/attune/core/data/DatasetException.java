package ai.attune.core.data;

import java.nio.file.Path;

/**
 * A dataset entry that cannot be used, in any of the project's data files (the MeZO tasks' JSONL,
 * the VQA and ReFocus sets): not JSON, a missing or mistyped field, a label out of range, a bad
 * box, an image file that does not exist.
 *
 * <p>The message starts with where the entry is and names the field: {@code data/train.jsonl:7:
 * field 'boxes.rows.Total': ...} for a JSONL line, {@code data/tablevqa_wbb.json: example 'nu-12':
 * field 'columns_bbox[2].x1': ...} for an entry of a JSON object keyed by id.
 */
public class DatasetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final int line;
  private final String field;

  /**
   * The entry at {@code line} of {@code file} (1-based, for a JSONL file; -1 for an entry of a JSON
   * object, then named by {@code key}), at fault in {@code field} (null: the whole entry).
   */
  public DatasetException(
      Path file, int line, String key, String field, String problem, Throwable cause) {
    super(
        where(file, line, key) + (field == null ? "" : "field '" + field + "': ") + problem, cause);
    this.file = file;
    this.line = line;
    this.field = field;
  }

  private static String where(Path file, int line, String key) {
    if (line > 0) {
      return file + ":" + line + ": ";
    }
    return key == null ? file + ": " : file + ": example '" + key + "': ";
  }

  /** The file at fault. */
  public Path file() {
    return file;
  }

  /** The 1-based line number for a JSONL file; -1 for an entry of a JSON object. */
  public int line() {
    return line;
  }

  /** The field at fault (dotted, with indices), or null when the whole entry is. */
  public String field() {
    return field;
  }
}
