package ai.attune.grzo.tasks;

import ai.attune.core.data.DatasetException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One JSON object read from line {@link #line} of a JSONL file, with strict accessors that fail
 * with a {@link DatasetException} naming the file, the line and the field.
 */
final class JsonRecord {
  private static final int MAX_SHOWN = 60;

  private final JsonNode node;
  private final Path file;
  private final int line;

  JsonRecord(JsonNode node, Path file, int line) {
    this.node = node;
    this.file = file;
    this.line = line;
  }

  /** {@code file:line}, the label examples carry back to their source. */
  String source() {
    return file + ":" + line;
  }

  DatasetException fail(String field, String problem) {
    return new DatasetException(file, line, null, field, problem, null);
  }

  /** The string field {@code name}. */
  String text(String name) {
    JsonNode v = require(node, name, name);
    if (!v.isTextual()) {
      throw fail(name, "expected a string, got " + show(v));
    }
    return v.textValue();
  }

  /** The integer label {@code name} in {@code [0, classes)}; true and false read as 1 and 0. */
  int label(String name, int classes) {
    JsonNode v = require(node, name, name);
    long x;
    if (v.isBoolean() && classes == 2) {
      x = v.booleanValue() ? 1 : 0;
    } else if (v.isIntegralNumber() && v.canConvertToLong()) {
      x = v.longValue();
    } else {
      throw fail(
          name,
          "expected an integer in [0, "
              + classes
              + ")"
              + (classes == 2 ? " or a boolean" : "")
              + ", got "
              + show(v));
    }
    if (x < 0 || x >= classes) {
      throw fail(name, "expected an integer in [0, " + classes + "), got " + show(v));
    }
    return (int) x;
  }

  /** Whether the record has the field {@code name} (null counts as absent). */
  boolean has(String name) {
    JsonNode v = node.get(name);
    return v != null && !v.isNull();
  }

  /** The non-empty string array {@code object.array} ({@code answers.text}). */
  List<String> texts(String object, String array) {
    String path = object + "." + array;
    JsonNode parent = require(node, object, object);
    if (!parent.isObject()) {
      throw fail(object, "expected an object, got " + show(parent));
    }
    JsonNode v = require(parent, array, path);
    if (!v.isArray()) {
      throw fail(path, "expected an array of strings, got " + show(v));
    }
    if (v.isEmpty()) {
      throw fail(path, "expected at least one answer, got []");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      if (!e.isTextual()) {
        throw fail(path + "[" + i + "]", "expected a string, got " + show(e));
      }
      out.add(e.textValue());
    }
    return out;
  }

  private JsonNode require(JsonNode parent, String name, String path) {
    JsonNode v = parent.get(name);
    if (v == null || v.isNull()) {
      throw fail(path, "missing");
    }
    return v;
  }

  private static String show(JsonNode v) {
    String text = v.toString();
    if (text.length() > MAX_SHOWN) {
      text = text.substring(0, MAX_SHOWN - 3) + "...";
    }
    return text + " (" + v.getNodeType().name().toLowerCase(Locale.ROOT) + ")";
  }
}
