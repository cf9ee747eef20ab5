package ai.attune.iapo.tools.image;

import ai.attune.iapo.tools.Box;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * {@code highlight}: tints the region with a translucent color and fades everything outside it
 * toward white, so the region stands out (ReFocus' highlight, with the rest dimmed).
 *
 * <p>Inside: each channel moves {@code alpha} of the way to the color (default red, 0.3). Outside:
 * each channel moves {@code dim} of the way to white (default 0.5; 0 leaves the rest untouched).
 */
public final class HighlightTool extends FocusEditTool {
  public static final String NAME = "highlight";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Highlight a region of an image (a bbox, or table rows/columns or bars by name):"
        + " tint it with a translucent color and fade the rest, to focus on it.";
  }

  @Override
  String verb() {
    return "Highlighted";
  }

  @Override
  void addOptions(ObjectNode p) {
    p.set("color", Schemas.color("Tint color.", NamedColor.RED));
    p.set("alpha", Schemas.number("Strength of the tint, 0.05 to 1. Default: 0.3.", 0.05, 1));
    p.set(
        "dim",
        Schemas.number(
            "How much to fade the rest of the image toward white, 0 to 1"
                + " (0 = not at all). Default: 0.5.",
            0,
            1));
  }

  @Override
  void edit(BufferedImage copy, List<Box> region, JsonNode args) {
    int tint = ImageArgs.colorArg(args, "color", NamedColor.RED).rgb();
    double alpha = ImageArgs.doubleArg(args, "alpha", 0.3);
    double dim = ImageArgs.doubleArg(args, "dim", 0.5);
    int w = copy.getWidth();
    int h = copy.getHeight();
    boolean[] in = inside(region, w, h);
    int[] rgb = copy.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = in[i] ? blend(rgb[i], tint, alpha) : blend(rgb[i], 0xFFFFFF, dim);
    }
    copy.setRGB(0, 0, w, h, rgb, 0, w);
  }
}
