package ai.attune.iapo.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks tool arguments against the subset of JSON Schema that tool parameters use: {@code type}
 * (one of object, string, number, integer, array, boolean), {@code properties}, {@code required},
 * {@code additionalProperties} (a boolean), {@code enum}, {@code minimum} and {@code maximum}
 * (inclusive), {@code items}, {@code minItems} and {@code maxItems}; {@code description}, {@code
 * title} and {@code default} are informational. {@link #checkSchema} rejects any other keyword when
 * a tool is registered, so a schema never silently promises a check that is not made.
 *
 * <p>As in JSON Schema, {@code integer} accepts a number with an integral value ({@code 3.0}). A
 * field whose value is JSON {@code null} counts as absent. Messages name the field by its path
 * ({@code bbox[2]}) and quote the offending value, for the model to read.
 */
public final class SchemaValidator {
  private static final int MAX_SHOWN = 60;
  private static final Set<String> KEYWORDS =
      Set.of(
          "type",
          "properties",
          "required",
          "additionalProperties",
          "enum",
          "minimum",
          "maximum",
          "items",
          "minItems",
          "maxItems",
          "description",
          "title",
          "default");
  private static final Map<String, String> TYPES =
      Map.of(
          "object",
          "an object",
          "string",
          "a string",
          "number",
          "a number",
          "integer",
          "an integer",
          "array",
          "an array",
          "boolean",
          "true or false");

  private SchemaValidator() {}

  /**
   * Checks that {@code schema} is an object schema written in the supported subset.
   *
   * @throws IllegalArgumentException naming the keyword and its path inside the schema
   */
  public static void checkSchema(JsonNode schema, String where) {
    if (schema == null || !schema.isObject() || !"object".equals(text(schema.get("type")))) {
      throw new IllegalArgumentException(
          where
              + ": the parameters schema must be an object "
              + "schema ({\"type\": \"object\", ...})");
    }
    checkNode(schema, where);
  }

  private static void checkNode(JsonNode schema, String path) {
    if (!schema.isObject()) {
      throw new IllegalArgumentException(path + ": a schema must be a JSON object");
    }
    for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYWORDS.contains(key)) {
        throw new IllegalArgumentException(
            path
                + ": unsupported schema keyword '"
                + key
                + "'; supported: "
                + String.join(", ", KEYWORDS.stream().sorted().toList()));
      }
    }
    String type = text(schema.get("type"));
    if (type == null || !TYPES.containsKey(type)) {
      throw new IllegalArgumentException(
          path
              + ": 'type' must be one of "
              + String.join(", ", TYPES.keySet().stream().sorted().toList()));
    }
    JsonNode props = schema.get("properties");
    if (props != null) {
      props.fields().forEachRemaining(e -> checkNode(e.getValue(), path + "." + e.getKey()));
    }
    JsonNode required = schema.get("required");
    if (required != null) {
      for (JsonNode r : required) {
        if (!r.isTextual() || props == null || !props.has(r.textValue())) {
          throw new IllegalArgumentException(
              path + ": required field " + r + " is not among the properties");
        }
      }
    }
    if (schema.has("items")) {
      checkNode(schema.get("items"), path + "[]");
    }
    JsonNode en = schema.get("enum");
    if (en != null && (!en.isArray() || en.isEmpty())) {
      throw new IllegalArgumentException(path + ": 'enum' must be a non-empty array");
    }
  }

  /** Every way {@code value} breaks {@code schema}; empty when it conforms. */
  public static List<String> validate(JsonNode schema, JsonNode value) {
    List<String> errors = new ArrayList<>();
    validate(schema, value, "", errors);
    return errors;
  }

  private static void validate(JsonNode schema, JsonNode value, String path, List<String> errors) {
    String type = text(schema.get("type"));
    if (!hasType(value, type)) {
      errors.add(at(path) + "expected " + TYPES.get(type) + ", got " + show(value));
      return;
    }
    JsonNode en = schema.get("enum");
    if (en != null && !inEnum(en, value)) {
      errors.add(at(path) + "expected one of " + en + ", got " + show(value));
    }
    if (value.isNumber()) {
      checkRange(schema, value, path, errors);
    } else if (value.isArray()) {
      checkArray(schema, value, path, errors);
    } else if (value.isObject()) {
      checkObject(schema, value, path, errors);
    }
  }

  private static void checkRange(
      JsonNode schema, JsonNode value, String path, List<String> errors) {
    double v = value.doubleValue();
    JsonNode min = schema.get("minimum");
    JsonNode max = schema.get("maximum");
    if (min != null && v < min.doubleValue()) {
      errors.add(at(path) + "must be at least " + min + ", got " + value);
    }
    if (max != null && v > max.doubleValue()) {
      errors.add(at(path) + "must be at most " + max + ", got " + value);
    }
  }

  private static void checkArray(
      JsonNode schema, JsonNode value, String path, List<String> errors) {
    JsonNode minItems = schema.get("minItems");
    JsonNode maxItems = schema.get("maxItems");
    int n = value.size();
    if (minItems != null
        && maxItems != null
        && minItems.equals(maxItems)
        && n != minItems.intValue()) {
      errors.add(at(path) + "expected exactly " + minItems + " items, got " + n);
    } else if (minItems != null && n < minItems.intValue()) {
      errors.add(at(path) + "expected at least " + minItems + " items, got " + n);
    } else if (maxItems != null && n > maxItems.intValue()) {
      errors.add(at(path) + "expected at most " + maxItems + " items, got " + n);
    }
    JsonNode items = schema.get("items");
    if (items != null) {
      for (int i = 0; i < n; i++) {
        validate(items, value.get(i), path + "[" + i + "]", errors);
      }
    }
  }

  private static void checkObject(
      JsonNode schema, JsonNode value, String path, List<String> errors) {
    JsonNode props = schema.get("properties");
    JsonNode required = schema.get("required");
    if (required != null) {
      for (JsonNode r : required) {
        JsonNode v = value.get(r.textValue());
        if (v == null || v.isNull()) {
          errors.add("missing required field '" + child(path, r.textValue()) + "'");
        }
      }
    }
    boolean closed =
        schema.has("additionalProperties") && !schema.get("additionalProperties").asBoolean(true);
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode sub = props == null ? null : props.get(e.getKey());
      if (sub == null) {
        if (closed) {
          errors.add(
              "unknown field '"
                  + child(path, e.getKey())
                  + "'"
                  + (props == null ? "" : "; known fields: " + names(props)));
        }
      } else if (!e.getValue().isNull()) {
        validate(sub, e.getValue(), child(path, e.getKey()), errors);
      }
    }
  }

  private static boolean hasType(JsonNode v, String type) {
    return switch (type) {
      case "object" -> v.isObject();
      case "string" -> v.isTextual();
      case "number" -> v.isNumber();
      case "integer" ->
          v.isIntegralNumber()
              || (v.isFloatingPointNumber() && v.doubleValue() == Math.rint(v.doubleValue()));
      case "array" -> v.isArray();
      case "boolean" -> v.isBoolean();
      default -> false;
    };
  }

  private static boolean inEnum(JsonNode en, JsonNode value) {
    for (JsonNode option : en) {
      if (option.equals(value)
          || (option.isNumber()
              && value.isNumber()
              && option.doubleValue() == value.doubleValue())) {
        return true;
      }
    }
    return false;
  }

  private static String names(JsonNode props) {
    List<String> out = new ArrayList<>();
    props.fieldNames().forEachRemaining(out::add);
    return String.join(", ", out);
  }

  private static String child(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  private static String at(String path) {
    return path.isEmpty() ? "arguments: " : path + ": ";
  }

  private static String text(JsonNode v) {
    return v != null && v.isTextual() ? v.textValue() : null;
  }

  /** The value as JSON, shortened, with its JSON type: {@code "ten" (string)}. */
  static String show(JsonNode v) {
    String s = v.toString();
    if (s.length() > MAX_SHOWN) {
      s = s.substring(0, MAX_SHOWN - 3) + "...";
    }
    return s + " (" + v.getNodeType().name().toLowerCase(Locale.ROOT) + ")";
  }
}
