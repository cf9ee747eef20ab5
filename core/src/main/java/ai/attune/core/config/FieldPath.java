package ai.attune.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Locale;

/**
 * Where one JSON value sits (source label plus dotted path) and the strict conversions of that
 * value to Java types, each failing with a {@link ConfigException} that names the source, the path
 * and the offending value.
 */
record FieldPath(String source, String path) {
  private static final int MAX_SHOWN = 80;

  /** The path of a field inside the object at this path. */
  FieldPath child(String field) {
    return new FieldPath(source, path.isEmpty() ? field : path + "." + field);
  }

  /** The path of an element of the array at this path. */
  FieldPath element(int index) {
    return new FieldPath(source, path + "[" + index + "]");
  }

  ConfigException fail(String problem) {
    return ConfigException.forField(source, path, problem);
  }

  ConfigException wrongType(String expected, JsonNode value) {
    return fail("expected " + expected + ", got " + show(value));
  }

  /** An integral number; a float with an exact integer value (4096.0) is accepted. */
  long asLong(JsonNode v) {
    return integral(v, "a long");
  }

  int asInt(JsonNode v) {
    long x = integral(v, "an int");
    if (x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
      throw fail("expected an int, got " + show(v) + " (out of int range)");
    }
    return (int) x;
  }

  /** Any JSON number, including the non-finite values Python writes as NaN or Infinity. */
  double asDouble(JsonNode v) {
    if (!v.isNumber()) {
      throw wrongType("a number", v);
    }
    return v.doubleValue();
  }

  String asString(JsonNode v) {
    if (!v.isTextual()) {
      throw wrongType("a string", v);
    }
    return v.textValue();
  }

  boolean asBoolean(JsonNode v) {
    if (!v.isBoolean()) {
      throw wrongType("a boolean (true or false)", v);
    }
    return v.booleanValue();
  }

  /** The constant whose name matches the string case-insensitively. */
  <E extends Enum<E>> E asEnum(JsonNode v, Class<E> type) {
    String text = asString(v);
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(text)) {
        return constant;
      }
    }
    String[] allowed =
        Arrays.stream(type.getEnumConstants())
            .map(e -> e.name().toLowerCase(Locale.ROOT))
            .toArray(String[]::new);
    throw fail("unknown value " + show(v) + ", expected one of " + Arrays.toString(allowed));
  }

  private long integral(JsonNode v, String expected) {
    if (v.isIntegralNumber()) {
      if (!v.canConvertToLong()) {
        throw fail("expected " + expected + ", got " + show(v) + " (out of range)");
      }
      return v.longValue();
    }
    if (v.isFloatingPointNumber()) {
      double d = v.doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 0x1p63) {
        return (long) d;
      }
    }
    throw wrongType(expected, v);
  }

  /** The value as JSON text, shortened, followed by its JSON type: {@code "big" (string)}. */
  static String show(JsonNode v) {
    String text = v.toString();
    if (text.length() > MAX_SHOWN) {
      text = text.substring(0, MAX_SHOWN - 3) + "...";
    }
    return text + " (" + v.getNodeType().name().toLowerCase(Locale.ROOT) + ")";
  }
}
