package ai.attune.iapo.tools.image;

import ai.attune.iapo.tools.Box;
import ai.attune.iapo.tools.ToolContext;
import ai.attune.iapo.tools.ToolException;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the arguments image tools share (already checked against their schema) and checks what a
 * schema cannot: that a box is ordered and lies inside its image, that named regions apply.
 */
final class ImageArgs {
  private ImageArgs() {}

  /** The {@code image} argument, or the most recent image. */
  static int imageIndex(JsonNode args, ToolContext ctx) {
    JsonNode v = args.get("image");
    return v == null || v.isNull() ? ctx.latestImageIndex() : v.intValue();
  }

  static boolean has(JsonNode args, String field) {
    JsonNode v = args.get(field);
    return v != null && !v.isNull();
  }

  static int intArg(JsonNode args, String field, int dflt) {
    return has(args, field) ? args.get(field).intValue() : dflt;
  }

  static double doubleArg(JsonNode args, String field, double dflt) {
    return has(args, field) ? args.get(field).doubleValue() : dflt;
  }

  static NamedColor colorArg(JsonNode args, String field, NamedColor dflt) {
    return has(args, field) ? NamedColor.of(args.get(field).textValue()) : dflt;
  }

  /** The {@code bbox} argument, checked against a {@code width × height} image. */
  static Box bbox(JsonNode args, int width, int height, int imageIndex) {
    JsonNode b = args.get("bbox");
    int x1 = b.get(0).intValue();
    int y1 = b.get(1).intValue();
    int x2 = b.get(2).intValue();
    int y2 = b.get(3).intValue();
    String shown = "bbox [" + x1 + ", " + y1 + ", " + x2 + ", " + y2 + "]";
    if (x2 <= x1) {
      throw new ToolException(shown + ": x2 (" + x2 + ") must be greater than x1 (" + x1 + ")");
    }
    if (y2 <= y1) {
      throw new ToolException(shown + ": y2 (" + y2 + ") must be greater than y1 (" + y1 + ")");
    }
    if (x2 > width || y2 > height) {
      throw new ToolException(
          shown
              + " reaches past image "
              + imageIndex
              + ", which is "
              + width
              + "x"
              + height
              + " (width x height)");
    }
    return new Box(x1, y1, x2, y2);
  }

  /**
   * The region a focus tool edits: the {@code bbox}, or the boxes of the named {@code rows} and
   * {@code columns} (their union), exactly one of the two forms.
   */
  static List<Box> region(JsonNode args, ToolContext ctx, BufferedImage image, int index) {
    boolean named = has(args, "rows") || has(args, "columns");
    if (has(args, "bbox") == named) {
      throw new ToolException(
          named
              ? "give either bbox or rows/columns, not both"
              : "give the region to edit: a bbox, or rows and/or columns by name");
    }
    if (!named) {
      return List.of(bbox(args, image.getWidth(), image.getHeight(), index));
    }
    if (index != 0) {
      BufferedImage first = ctx.image(0);
      if (first.getWidth() != image.getWidth() || first.getHeight() != image.getHeight()) {
        throw new ToolException(
            "rows and columns are named on image 0 ("
                + first.getWidth()
                + "x"
                + first.getHeight()
                + "), but image "
                + index
                + " is "
                + image.getWidth()
                + "x"
                + image.getHeight()
                + "; use bbox for this image");
      }
    }
    return ctx.boxes()
        .resolve(
            strings(args, "rows"), strings(args, "columns"), image.getWidth(), image.getHeight());
  }

  private static List<String> strings(JsonNode args, String field) {
    List<String> out = new ArrayList<>();
    if (has(args, field)) {
      args.get(field).forEach(v -> out.add(v.textValue()));
    }
    return out;
  }

  /** A private {@code TYPE_INT_RGB} copy of {@code image} (or of a part of it). */
  static BufferedImage copy(BufferedImage image, Box part) {
    BufferedImage out = new BufferedImage(part.width(), part.height(), BufferedImage.TYPE_INT_RGB);
    int[] rgb =
        image.getRGB(part.x1(), part.y1(), part.width(), part.height(), null, 0, part.width());
    out.setRGB(0, 0, part.width(), part.height(), rgb, 0, part.width());
    return out;
  }

  static BufferedImage copy(BufferedImage image) {
    return copy(image, new Box(0, 0, image.getWidth(), image.getHeight()));
  }

  static String describe(List<Box> boxes) {
    return boxes.size() == 1
        ? boxes.get(0).toString()
        : boxes.size()
            + " regions "
            + String.join(", ", boxes.stream().map(Box::toString).toList());
  }
}
