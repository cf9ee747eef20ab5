package ai.attune.iapo.tools.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builders for the JSON-schema pieces the image tools share. */
final class Schemas {
  static final JsonNodeFactory F = JsonNodeFactory.instance;

  static final String BBOX_TEXT =
      "Bounding box [x1, y1, x2, y2] in pixels of the image: x1, y1"
          + " is the top-left corner (inclusive), x2, y2 the bottom-right (exclusive), so"
          + " 0 <= x1 < x2 <= width and 0 <= y1 < y2 <= height.";

  private Schemas() {}

  /** An empty closed object schema: no properties yet, none required, no others allowed. */
  static ObjectNode object() {
    ObjectNode o = F.objectNode();
    o.put("type", "object");
    o.putObject("properties");
    o.putArray("required");
    o.put("additionalProperties", false);
    return o;
  }

  static ObjectNode props(ObjectNode schema) {
    return (ObjectNode) schema.get("properties");
  }

  static void require(ObjectNode schema, String field) {
    ((ArrayNode) schema.get("required")).add(field);
  }

  static ObjectNode bbox() {
    ObjectNode b = F.objectNode();
    b.put("type", "array");
    b.put("description", BBOX_TEXT);
    ObjectNode item = b.putObject("items");
    item.put("type", "integer");
    item.put("minimum", 0);
    b.put("minItems", 4);
    b.put("maxItems", 4);
    return b;
  }

  static ObjectNode imageIndex() {
    return integer(
        "Index of the image to use: 0 is the first input image, then each image a"
            + " tool returned, in order. Default: the most recent image.",
        0,
        null);
  }

  static ObjectNode names(String description) {
    ObjectNode n = F.objectNode();
    n.put("type", "array");
    n.put("description", description);
    n.putObject("items").put("type", "string");
    n.put("minItems", 1);
    return n;
  }

  static ObjectNode integer(String description, Integer min, Integer max) {
    ObjectNode n = F.objectNode();
    n.put("type", "integer");
    n.put("description", description);
    if (min != null) {
      n.put("minimum", min);
    }
    if (max != null) {
      n.put("maximum", max);
    }
    return n;
  }

  static ObjectNode number(String description, double min, double max) {
    ObjectNode n = F.objectNode();
    n.put("type", "number");
    n.put("description", description);
    putNumber(n, "minimum", min);
    putNumber(n, "maximum", max);
    return n;
  }

  /** Whole numbers as JSON integers ({@code 8}, not {@code 8.0}), for the model to read. */
  private static void putNumber(ObjectNode n, String field, double v) {
    if (v == Math.rint(v) && Math.abs(v) < Integer.MAX_VALUE) {
      n.put(field, (int) v);
    } else {
      n.put(field, v);
    }
  }

  static ObjectNode color(String description, NamedColor dflt) {
    ObjectNode n = F.objectNode();
    n.put("type", "string");
    n.put("description", description + " Default: " + dflt.wireName() + ".");
    ArrayNode en = n.putArray("enum");
    NamedColor.wireNames().forEach(en::add);
    return n;
  }
}
