package ai.attune.iapo.tools.image;

import ai.attune.iapo.tools.Box;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

/** {@code mask}: covers the region with a solid color (default white), hiding what is there. */
public final class MaskTool extends FocusEditTool {
  public static final String NAME = "mask";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Mask out a region of an image (a bbox, or table rows/columns or bars by name):"
        + " cover it with a solid color, to hide parts that do not matter.";
  }

  @Override
  String verb() {
    return "Masked";
  }

  @Override
  void addOptions(ObjectNode p) {
    p.set("color", Schemas.color("Fill color.", NamedColor.WHITE));
  }

  @Override
  void edit(BufferedImage copy, List<Box> region, JsonNode args) {
    Graphics2D g = copy.createGraphics();
    try {
      g.setColor(ImageArgs.colorArg(args, "color", NamedColor.WHITE).color());
      for (Box b : region) {
        g.fillRect(b.x1(), b.y1(), b.width(), b.height());
      }
    } finally {
      g.dispose();
    }
  }
}
