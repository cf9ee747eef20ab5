package ai.attune.iapo.data;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * What a synthetic bar chart shows: categories with integer values on a value axis from 0 to {@code
 * axisMax} with ticks every {@code tickStep}.
 *
 * @param orientation vertical (bars grow up) or horizontal (bars grow right)
 * @param labels the category names, distinct, drawable by the chart font (upper case, digits)
 * @param values one per label, in (0, axisMax]
 * @param colors one bar color per label, {@code 0xRRGGBB}
 */
public record BarChart(
    Orientation orientation,
    List<String> labels,
    List<Integer> values,
    List<Integer> colors,
    int axisMax,
    int tickStep) {

  /** Which way the bars grow. */
  public enum Orientation {
    VERTICAL,
    HORIZONTAL;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public BarChart {
    Objects.requireNonNull(orientation, "orientation");
    labels = List.copyOf(labels);
    values = List.copyOf(values);
    colors = List.copyOf(colors);
    if (labels.isEmpty() || values.size() != labels.size() || colors.size() != labels.size()) {
      throw new IllegalArgumentException(
          "need one value and one color per label, got "
              + labels.size()
              + " labels, "
              + values.size()
              + " values, "
              + colors.size()
              + " colors");
    }
    if (new HashSet<>(labels).size() != labels.size()) {
      throw new IllegalArgumentException("labels must be distinct: " + labels);
    }
    for (String l : labels) {
      if (!PixelFont.canDraw(l)) {
        throw new IllegalArgumentException(
            "label \""
                + l
                + "\" has characters the chart font"
                + " cannot draw (use upper case, digits, . - %)");
      }
    }
    if (tickStep <= 0 || axisMax <= 0 || axisMax % tickStep != 0) {
      throw new IllegalArgumentException(
          "axisMax " + axisMax + " must be a positive multiple" + " of tickStep " + tickStep);
    }
    for (int v : values) {
      if (v <= 0 || v > axisMax) {
        throw new IllegalArgumentException("value " + v + " is outside (0, " + axisMax + "]");
      }
    }
  }

  public int size() {
    return labels.size();
  }

  /** Index of the largest value (the first when tied). */
  public int highest() {
    int best = 0;
    for (int i = 1; i < values.size(); i++) {
      if (values.get(i) > values.get(best)) {
        best = i;
      }
    }
    return best;
  }

  /** Index of the smallest value (the first when tied). */
  public int lowest() {
    int best = 0;
    for (int i = 1; i < values.size(); i++) {
      if (values.get(i) < values.get(best)) {
        best = i;
      }
    }
    return best;
  }
}
