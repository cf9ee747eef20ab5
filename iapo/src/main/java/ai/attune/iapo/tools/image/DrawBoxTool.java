package ai.attune.iapo.tools.image;

import ai.attune.iapo.tools.Box;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * {@code draw_box}: draws the outline of each box of the region (default red, 2 pixels wide). The
 * line lies inside the box, so nothing outside the region changes.
 */
public final class DrawBoxTool extends FocusEditTool {
  public static final String NAME = "draw_box";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Draw a rectangle around a region of an image (a bbox, or table rows/columns or bars"
        + " by name), to mark it.";
  }

  @Override
  String verb() {
    return "Drew a box around";
  }

  @Override
  void addOptions(ObjectNode p) {
    p.set("color", Schemas.color("Line color.", NamedColor.RED));
    p.set("width", Schemas.integer("Line width in pixels, 1 to 10. Default: 2.", 1, 10));
  }

  @Override
  void edit(BufferedImage copy, List<Box> region, JsonNode args) {
    int t = ImageArgs.intArg(args, "width", 2);
    Graphics2D g = copy.createGraphics();
    try {
      g.setColor(ImageArgs.colorArg(args, "color", NamedColor.RED).color());
      for (Box b : region) {
        int tx = Math.min(t, b.width());
        int ty = Math.min(t, b.height());
        g.fillRect(b.x1(), b.y1(), b.width(), ty);
        g.fillRect(b.x1(), b.y2() - ty, b.width(), ty);
        g.fillRect(b.x1(), b.y1(), tx, b.height());
        g.fillRect(b.x2() - tx, b.y1(), tx, b.height());
      }
    } finally {
      g.dispose();
    }
  }
}
