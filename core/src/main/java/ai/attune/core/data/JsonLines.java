package ai.attune.core.data;

import ai.attune.core.config.Mappers;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One line of a JSONL data file read as a JSON object, or a {@link DatasetException} saying why
 * not.
 */
public final class JsonLines {
  private static final int MAX_SHOWN = 60;

  private JsonLines() {}

  /**
   * Line {@code line} (1-based) of {@code file}, whose text is {@code text}, as a JSON object.
   *
   * @throws DatasetException naming the file and line when the text is not JSON or not an object
   */
  public static ObjectNode object(Path file, int line, String text) {
    JsonNode node;
    try {
      node = Mappers.json().readTree(text);
    } catch (JsonProcessingException e) {
      throw new DatasetException(
          file, line, null, null, "not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new DatasetException(
          file,
          line,
          null,
          null,
          "expected a JSON object, got " + (node == null ? "nothing" : show(node)),
          null);
    }
    return (ObjectNode) node;
  }

  /** A value as an error message shows it: its JSON, cut at 60 characters, and its type. */
  public static String show(JsonNode v) {
    String s = v.toString();
    if (s.length() > MAX_SHOWN) {
      s = s.substring(0, MAX_SHOWN - 3) + "...";
    }
    return s + " (" + v.getNodeType().name().toLowerCase(Locale.ROOT) + ")";
  }
}
