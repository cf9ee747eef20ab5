package ai.attune.iapo.tools;

/**
 * A box as a dataset gives it: four coordinates in pixels or as fractions of the image size
 * (ReFocus writes fractions), turned into a pixel {@link Box} once the image size is known.
 *
 * @param units what the coordinates measure
 */
public record BoxSpec(double x1, double y1, double x2, double y2, Units units) {

  /** Coordinate units. */
  public enum Units {
    /** Pixels of the image, right and bottom exclusive. */
    PIXELS,
    /** Fractions of the image width (x) and height (y), in [0, 1]. */
    NORMALIZED
  }

  public BoxSpec {
    if (!(Double.isFinite(x1)
        && Double.isFinite(y1)
        && Double.isFinite(x2)
        && Double.isFinite(y2))) {
      throw new IllegalArgumentException(
          "box coordinates must be finite: " + describe(x1, y1, x2, y2));
    }
    if (x1 < 0 || y1 < 0 || x2 <= x1 || y2 <= y1) {
      throw new IllegalArgumentException(
          "bad box " + describe(x1, y1, x2, y2) + ": need 0 <= x1 < x2 and 0 <= y1 < y2");
    }
    if (units == Units.NORMALIZED && (x2 > 1 || y2 > 1)) {
      throw new IllegalArgumentException(
          "normalized box " + describe(x1, y1, x2, y2) + " reaches past 1");
    }
  }

  public static BoxSpec pixels(double x1, double y1, double x2, double y2) {
    return new BoxSpec(x1, y1, x2, y2, Units.PIXELS);
  }

  public static BoxSpec normalized(double x1, double y1, double x2, double y2) {
    return new BoxSpec(x1, y1, x2, y2, Units.NORMALIZED);
  }

  /**
   * The pixels this box covers in a {@code width × height} image: left/top floored, right/bottom
   * ceiled, then clipped to the image.
   *
   * @return null when nothing of the box lies inside the image
   */
  public Box toPixels(int width, int height) {
    double sx = units == Units.NORMALIZED ? width : 1;
    double sy = units == Units.NORMALIZED ? height : 1;
    int px1 = (int) Math.floor(x1 * sx);
    int py1 = (int) Math.floor(y1 * sy);
    int px2 = (int) Math.min(width, Math.ceil(x2 * sx));
    int py2 = (int) Math.min(height, Math.ceil(y2 * sy));
    return px1 < px2 && py1 < py2 ? new Box(px1, py1, px2, py2) : null;
  }

  @Override
  public String toString() {
    return describe(x1, y1, x2, y2) + (units == Units.NORMALIZED ? " (normalized)" : "");
  }

  private static String describe(double x1, double y1, double x2, double y2) {
    return Box.format(trim(x1), trim(y1), trim(x2), trim(y2));
  }

  private static Number trim(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? (Number) (long) v : (Number) v;
  }
}
