package ai.attune.iapo.tools;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named regions of an example's first image: table rows and columns, or the categories of a
 * chart (ReFocus' {@code x_values} of a vertical bar chart are columns, the {@code y_values} of a
 * horizontal one rows). Focus tools resolve {@code {"rows": [...], "columns": [...]}} through it.
 *
 * <p>Immutable; names keep the order they were given in.
 */
public record NamedBoxes(Map<String, BoxSpec> rows, Map<String, BoxSpec> columns) {
  public static final NamedBoxes EMPTY = new NamedBoxes(Map.of(), Map.of());

  public NamedBoxes {
    rows = Collections.unmodifiableMap(new LinkedHashMap<>(rows));
    columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
  }

  public boolean isEmpty() {
    return rows.isEmpty() && columns.isEmpty();
  }

  /**
   * The pixel boxes of the named rows then the named columns, in a {@code width × height} image.
   *
   * @throws ToolException naming the unknown name and listing the known ones, or when a named box
   *     lies wholly outside the image
   */
  public List<Box> resolve(List<String> rowNames, List<String> columnNames, int width, int height) {
    List<Box> out = new ArrayList<>();
    resolve("row", rows, rowNames, width, height, out);
    resolve("column", columns, columnNames, width, height, out);
    return out;
  }

  private static void resolve(
      String kind,
      Map<String, BoxSpec> known,
      List<String> names,
      int width,
      int height,
      List<Box> out) {
    for (String name : names) {
      BoxSpec spec = known.get(name);
      if (spec == null) {
        throw new ToolException(
            known.isEmpty()
                ? "unknown "
                    + kind
                    + " '"
                    + name
                    + "': this image has no named "
                    + kind
                    + "s; use bbox instead"
                : "unknown "
                    + kind
                    + " '"
                    + name
                    + "'; known "
                    + kind
                    + "s: "
                    + String.join(", ", known.keySet()));
      }
      Box box = spec.toPixels(width, height);
      if (box == null) {
        throw new ToolException(
            "the box of "
                + kind
                + " '"
                + name
                + "' "
                + spec
                + " lies outside the "
                + width
                + "x"
                + height
                + " image");
      }
      out.add(box);
    }
  }
}
