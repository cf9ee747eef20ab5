package ai.attune.iapo.tools.image;

import ai.attune.iapo.tools.Tool;
import ai.attune.iapo.tools.ToolRegistry;
import java.util.List;

/** The built-in image tools of the chart/table benchmarks. */
public final class ImageTools {
  private ImageTools() {}

  /** crop, zoom_in, highlight, mask and draw_box, in that order. */
  public static List<Tool> all() {
    return List.of(
        new CropTool(), new ZoomInTool(), new HighlightTool(), new MaskTool(), new DrawBoxTool());
  }

  /** A registry holding {@link #all()}. */
  public static ToolRegistry registry() {
    ToolRegistry registry = new ToolRegistry();
    all().forEach(registry::register);
    return registry;
  }
}
