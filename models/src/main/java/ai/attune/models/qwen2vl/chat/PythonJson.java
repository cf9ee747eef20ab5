package ai.attune.models.qwen2vl.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON text exactly as Python's {@code json.dumps(x, ensure_ascii=False)} writes it, which is what
 * HF chat templates' {@code tojson} filter produces: {@code ", "} and {@code ": "} separators, keys
 * in insertion order, non-ASCII characters as they are, and floats as Python's {@code repr} ({@code
 * 1.0}, {@code 1e-05}, {@code 1.5e+20}).
 */
public final class PythonJson {
  private PythonJson() {}

  /** {@code node} as Python's {@code json.dumps} would write the equivalent value. */
  public static String dumps(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, out);
    return out.toString();
  }

  private static void write(JsonNode node, StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        out.append('{');
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          string(e.getKey(), out);
          out.append(": ");
          write(e.getValue(), out);
          if (it.hasNext()) {
            out.append(", ");
          }
        }
        out.append('}');
      }
      case ARRAY -> {
        out.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.append(", ");
          }
          write(node.get(i), out);
        }
        out.append(']');
      }
      case STRING -> string(node.textValue(), out);
      case BOOLEAN -> out.append(node.booleanValue());
      case NULL -> out.append("null");
      case NUMBER ->
          out.append(
              node.isIntegralNumber()
                  ? node.bigIntegerValue().toString()
                  : floatRepr(node.doubleValue()));
      default -> throw new IllegalArgumentException("no JSON form for a " + node.getNodeType());
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** Python's {@code repr(float)}: shortest digits, exponent form below 1e-4 or from 1e16. */
  static String floatRepr(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0.0" : "0.0";
    }
    BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
    String digits = bd.unscaledValue().toString();
    int decpt = digits.length() - bd.scale(); // value = 0.digits x 10^decpt
    String sign = d < 0 ? "-" : "";
    int exp = decpt - 1;
    if (exp < -4 || exp >= 16) {
      String mantissa =
          digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      String e = String.format("%02d", Math.abs(exp));
      return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + e;
    }
    if (decpt <= 0) {
      return sign + "0." + "0".repeat(-decpt) + digits;
    }
    if (decpt >= digits.length()) {
      return sign + digits + "0".repeat(decpt - digits.length()) + ".0";
    }
    return sign + digits.substring(0, decpt) + "." + digits.substring(decpt);
  }
}
