package ai.attune.iapo.tools;

import java.util.List;

/**
 * A rectangle of pixels {@code [x1, y1, x2, y2]}: left and top inclusive, right and bottom
 * exclusive, as PIL's crop box. So {@code [0, 0, w, h]} is a whole {@code w × h} image and the box
 * holds {@code (x2 - x1) × (y2 - y1)} pixels.
 */
public record Box(int x1, int y1, int x2, int y2) {

  public Box {
    if (x1 < 0 || y1 < 0 || x2 <= x1 || y2 <= y1) {
      throw new IllegalArgumentException(
          "bad box " + format(x1, y1, x2, y2) + ": need 0 <= x1 < x2 and 0 <= y1 < y2");
    }
  }

  public int width() {
    return x2 - x1;
  }

  public int height() {
    return y2 - y1;
  }

  /** Whether pixel (x, y) lies inside. */
  public boolean contains(int x, int y) {
    return x >= x1 && x < x2 && y >= y1 && y < y2;
  }

  /** The smallest box holding both. */
  public Box span(Box other) {
    return new Box(
        Math.min(x1, other.x1),
        Math.min(y1, other.y1),
        Math.max(x2, other.x2),
        Math.max(y2, other.y2));
  }

  /** The smallest box holding all of {@code boxes} (at least one). */
  public static Box span(List<Box> boxes) {
    if (boxes.isEmpty()) {
      throw new IllegalArgumentException("no boxes");
    }
    Box out = boxes.get(0);
    for (Box b : boxes) {
      out = out.span(b);
    }
    return out;
  }

  /** Whether the box lies inside a {@code width × height} image. */
  public boolean fitsIn(int width, int height) {
    return x2 <= width && y2 <= height;
  }

  /** The coordinates as a JSON-style list. */
  public List<Integer> toList() {
    return List.of(x1, y1, x2, y2);
  }

  @Override
  public String toString() {
    return format(x1, y1, x2, y2);
  }

  static String format(Number x1, Number y1, Number x2, Number y2) {
    return "[" + x1 + ", " + y1 + ", " + x2 + ", " + y2 + "]";
  }
}
