package ai.attune.iapo.tools.image;

import ai.attune.iapo.tools.Box;
import ai.attune.iapo.tools.Tool;
import ai.attune.iapo.tools.ToolContext;
import ai.attune.iapo.tools.ToolResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;

/** {@code crop}: cuts a bounding box out of an image and returns it as a new image. */
public final class CropTool implements Tool {
  public static final String NAME = "crop";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Crop a region of an image and return it as a new image, to look at that region"
        + " alone.";
  }

  @Override
  public ObjectNode parameters() {
    ObjectNode s = Schemas.object();
    Schemas.props(s).set("bbox", Schemas.bbox());
    Schemas.props(s).set("image", Schemas.imageIndex());
    Schemas.require(s, "bbox");
    return s;
  }

  @Override
  public ToolResult execute(JsonNode arguments, ToolContext ctx) {
    int index = ImageArgs.imageIndex(arguments, ctx);
    BufferedImage image = ctx.image(index);
    Box box = ImageArgs.bbox(arguments, image.getWidth(), image.getHeight(), index);
    BufferedImage out = ImageArgs.copy(image, box);
    return ToolResult.image(
        out,
        "Cropped "
            + box
            + " of image "
            + index
            + ": "
            + out.getWidth()
            + "x"
            + out.getHeight()
            + ".");
  }
}
