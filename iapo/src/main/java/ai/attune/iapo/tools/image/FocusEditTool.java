package ai.attune.iapo.tools.image;

import ai.attune.iapo.tools.Box;
import ai.attune.iapo.tools.Tool;
import ai.attune.iapo.tools.ToolContext;
import ai.attune.iapo.tools.ToolResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The shape of ReFocus-style focus edits: a region given as a {@code bbox} or as named {@code rows}
 * and {@code columns} of the example (the union of their boxes), edited on a copy of the image, the
 * copy returned. Subclasses add their own options and do the drawing.
 */
abstract class FocusEditTool implements Tool {

  /** The past participle for the result text ({@code "Highlighted"}). */
  abstract String verb();

  /** Adds the tool's own properties to the schema. */
  abstract void addOptions(ObjectNode properties);

  /** Edits {@code copy} (a private copy of the image) in place. */
  abstract void edit(BufferedImage copy, List<Box> region, JsonNode arguments);

  @Override
  public final ObjectNode parameters() {
    ObjectNode s = Schemas.object();
    ObjectNode p = Schemas.props(s);
    p.set("bbox", Schemas.bbox());
    p.set(
        "rows",
        Schemas.names(
            "Names of table rows (or of horizontal bars) to use instead of"
                + " a bbox; the region is the union of their boxes."));
    p.set(
        "columns",
        Schemas.names(
            "Names of table columns (or of vertical bars) to use instead"
                + " of a bbox; the region is the union of their boxes."));
    addOptions(p);
    p.set("image", Schemas.imageIndex());
    return s;
  }

  @Override
  public final ToolResult execute(JsonNode arguments, ToolContext ctx) {
    int index = ImageArgs.imageIndex(arguments, ctx);
    BufferedImage image = ctx.image(index);
    List<Box> region = ImageArgs.region(arguments, ctx, image, index);
    BufferedImage copy = ImageArgs.copy(image);
    edit(copy, region, arguments);
    return ToolResult.image(
        copy, verb() + " " + ImageArgs.describe(region) + " of image " + index + ".");
  }

  /** For each pixel, whether it lies in one of the boxes. */
  static boolean[] inside(List<Box> region, int width, int height) {
    boolean[] in = new boolean[width * height];
    for (Box b : region) {
      for (int y = b.y1(); y < b.y2(); y++) {
        java.util.Arrays.fill(in, y * width + b.x1(), y * width + b.x2(), true);
      }
    }
    return in;
  }

  /** {@code c} moved a fraction {@code a} of the way to {@code target}, per channel. */
  static int blend(int c, int target, double a) {
    int r = mix((c >> 16) & 0xff, (target >> 16) & 0xff, a);
    int g = mix((c >> 8) & 0xff, (target >> 8) & 0xff, a);
    int b = mix(c & 0xff, target & 0xff, a);
    return (r << 16) | (g << 8) | b;
  }

  private static int mix(int c, int t, double a) {
    return (int) Math.round(c + (t - c) * a);
  }
}
