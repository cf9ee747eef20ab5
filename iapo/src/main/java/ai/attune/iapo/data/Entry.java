package ai.attune.iapo.data;

import ai.attune.core.data.DatasetException;
import ai.attune.core.data.JsonLines;
import ai.attune.iapo.tools.BoxSpec;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One JSON object of a dataset file with strict accessors that fail with a {@link DatasetException}
 * naming the file, the line (or the entry's key) and the field. JSON null counts as absent.
 */
final class Entry {

  final JsonNode node;
  final Path file;
  final int line;
  final String key;

  Entry(JsonNode node, Path file, int line, String key) {
    this.node = node;
    this.file = file;
    this.line = line;
    this.key = key;
  }

  /** {@code file:line} or {@code file#key}: where an example came from. */
  String origin() {
    return line > 0 ? file + ":" + line : file + "#" + key;
  }

  DatasetException fail(String field, String problem) {
    return new DatasetException(file, line, key, field, problem, null);
  }

  boolean has(String field) {
    return present(node.get(field));
  }

  static boolean present(JsonNode v) {
    return v != null && !v.isNull();
  }

  JsonNode require(String field) {
    JsonNode v = node.get(field);
    if (!present(v)) {
      throw fail(field, "missing");
    }
    return v;
  }

  /** A non-blank string. */
  String text(String field) {
    return text(require(field), field);
  }

  String text(JsonNode v, String path) {
    if (!v.isTextual()) {
      throw fail(path, "expected a string, got " + show(v));
    }
    if (v.textValue().isBlank()) {
      throw fail(path, "is blank");
    }
    return v.textValue();
  }

  /** A string, or a number or boolean written as text (answers, category names). */
  String scalarText(JsonNode v, String path) {
    if (v.isTextual() || v.isNumber() || v.isBoolean()) {
      return v.asText();
    }
    throw fail(path, "expected a string or a number, got " + show(v));
  }

  /** A file named relative to {@code root}, which must exist. */
  Path existingFile(Path root, String name, String path) {
    Path p = root.resolve(name).normalize();
    if (!Files.isRegularFile(p)) {
      throw fail(path, (Files.exists(p) ? "not a regular file: " : "image file not found: ") + p);
    }
    return p;
  }

  /** A JSON array of four numbers {@code [x1, y1, x2, y2]} as a box. */
  BoxSpec boxArray(JsonNode v, String path, BoxSpec.Units units) {
    if (!v.isArray() || v.size() != 4) {
      throw fail(path, "expected a box [x1, y1, x2, y2], got " + show(v));
    }
    double[] c = new double[4];
    for (int i = 0; i < 4; i++) {
      if (!v.get(i).isNumber()) {
        throw fail(path + "[" + i + "]", "expected a number, got " + show(v.get(i)));
      }
      c[i] = v.get(i).doubleValue();
    }
    return box(c, path, units);
  }

  BoxSpec box(double[] c, String path, BoxSpec.Units units) {
    try {
      return new BoxSpec(c[0], c[1], c[2], c[3], units);
    } catch (IllegalArgumentException e) {
      throw fail(path, e.getMessage());
    }
  }

  /** The strings (or numbers) of an array; an empty list when absent. */
  List<String> names(String field) {
    List<String> out = new ArrayList<>();
    JsonNode v = node.get(field);
    if (!present(v)) {
      return out;
    }
    if (!v.isArray()) {
      throw fail(field, "expected an array, got " + show(v));
    }
    for (int i = 0; i < v.size(); i++) {
      out.add(scalarText(v.get(i), field + "[" + i + "]"));
    }
    return out;
  }

  static String show(JsonNode v) {
    return JsonLines.show(v);
  }
}
