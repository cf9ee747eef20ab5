package ai.attune.iapo.tools.image;

import ai.attune.iapo.tools.Box;
import ai.attune.iapo.tools.Tool;
import ai.attune.iapo.tools.ToolContext;
import ai.attune.iapo.tools.ToolException;
import ai.attune.iapo.tools.ToolResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * {@code zoom_in}: crops a bounding box and enlarges it with Java2D's bicubic interpolation.
 *
 * <p>Without a {@code factor} the crop is enlarged just enough for its short side to reach {@link
 * #minShortSide()} (never shrunk), so a small region becomes large enough for the vision encoder to
 * see detail. The output is {@code round(w · f) × round(h · f)} and its long side may not exceed
 * {@value #MAX_SIDE} pixels (the automatic factor is capped to keep it there; an explicit factor
 * past it is an error).
 */
public final class ZoomInTool implements Tool {
  public static final String NAME = "zoom_in";

  /** The longest side a zoomed image may have. */
  public static final int MAX_SIDE = 2048;

  /** The default short side of an automatic zoom. */
  public static final int DEFAULT_MIN_SHORT_SIDE = 224;

  private final int minShortSide;

  public ZoomInTool() {
    this(DEFAULT_MIN_SHORT_SIDE);
  }

  /** A zoom whose automatic factor brings the short side to at least {@code minShortSide}. */
  public ZoomInTool(int minShortSide) {
    if (minShortSide < 1 || minShortSide > MAX_SIDE) {
      throw new IllegalArgumentException(
          "minShortSide must be in [1, " + MAX_SIDE + "], got " + minShortSide);
    }
    this.minShortSide = minShortSide;
  }

  public int minShortSide() {
    return minShortSide;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Zoom in on a region of an image: crop it and enlarge it, to read small text or"
        + " details. Without a factor the region is enlarged until its short side is at least "
        + minShortSide
        + " pixels.";
  }

  @Override
  public ObjectNode parameters() {
    ObjectNode s = Schemas.object();
    Schemas.props(s).set("bbox", Schemas.bbox());
    Schemas.props(s)
        .set(
            "factor",
            Schemas.number(
                "Enlargement factor (1 to 8). Default: "
                    + "enough for the short side to reach "
                    + minShortSide
                    + " pixels.",
                1,
                8));
    Schemas.props(s).set("image", Schemas.imageIndex());
    Schemas.require(s, "bbox");
    return s;
  }

  @Override
  public ToolResult execute(JsonNode arguments, ToolContext ctx) {
    int index = ImageArgs.imageIndex(arguments, ctx);
    BufferedImage image = ctx.image(index);
    Box box = ImageArgs.bbox(arguments, image.getWidth(), image.getHeight(), index);
    double factor = factor(arguments, box);
    int w = Math.max(1, (int) Math.round(box.width() * factor));
    int h = Math.max(1, (int) Math.round(box.height() * factor));
    BufferedImage out = scale(ImageArgs.copy(image, box), w, h);
    return ToolResult.image(
        out,
        "Zoomed in on "
            + box
            + " of image "
            + index
            + " by "
            + String.format(java.util.Locale.ROOT, "%.2f", factor)
            + ": "
            + w
            + "x"
            + h
            + ".");
  }

  private double factor(JsonNode args, Box box) {
    int longSide = Math.max(box.width(), box.height());
    if (ImageArgs.has(args, "factor")) {
      double f = args.get("factor").doubleValue();
      if (Math.round(longSide * f) > MAX_SIDE) {
        throw new ToolException(
            "factor "
                + args.get("factor")
                + " would make the long side "
                + Math.round(longSide * f)
                + " pixels; the most allowed is "
                + MAX_SIDE);
      }
      return f;
    }
    double f = Math.max(1.0, (double) minShortSide / Math.min(box.width(), box.height()));
    return Math.min(f, Math.max(1.0, (double) MAX_SIDE / longSide));
  }

  /** {@code src} resized to {@code w × h} with bicubic interpolation. */
  static BufferedImage scale(BufferedImage src, int w, int h) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(src, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return out;
  }
}
