package ai.attune.iapo.data;

import ai.attune.iapo.tools.Box;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws a {@link BarChart} with Java2D (no antialiasing, integer coordinates) and reports where
 * every bar and label landed.
 *
 * <p>Layout: white background, black axes, dark gray text in the 5×7 {@link PixelFont}. Each
 * category owns an equal slot along the category axis; its bar is 60 % of the slot, centred, and
 * grows from the axis line (the bar's pixels touch the axis, never cover it). Value ticks are drawn
 * outside the plot, every {@code tickStep}, labelled with their value. A bar's length is {@code
 * round(value / axisMax × plot length)} pixels (at least 1).
 */
public final class BarChartRenderer {
  public static final int BACKGROUND = 0xFFFFFF;
  public static final int AXIS = 0x000000;
  public static final int TEXT = 0x333333;
  static final int TOP = 6;
  static final int BOTTOM = 12;

  private BarChartRenderer() {}

  /**
   * A drawn chart.
   *
   * @param bars the pixels of each bar, exactly (every pixel inside has the bar's color)
   * @param labels the tight box of each category label's text
   * @param slots each category's whole band: its bar, its label and the space around them (what
   *     focus tools use as the category's named row or column)
   */
  public record RenderedChart(
      BufferedImage image, List<Box> bars, List<Box> labels, List<Box> slots) {
    public RenderedChart {
      bars = List.copyOf(bars);
      labels = List.copyOf(labels);
      slots = List.copyOf(slots);
    }
  }

  /** Draws {@code chart} on a new {@code width × height} RGB image. */
  public static RenderedChart render(BarChart chart, int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setColor(new Color(BACKGROUND));
      g.fillRect(0, 0, width, height);
      return chart.orientation() == BarChart.Orientation.VERTICAL
          ? vertical(chart, img, g)
          : horizontal(chart, img, g);
    } finally {
      g.dispose();
    }
  }

  private static RenderedChart vertical(BarChart c, BufferedImage img, Graphics2D g) {
    int w = img.getWidth();
    int h = img.getHeight();
    int left = PixelFont.width(String.valueOf(c.axisMax())) + 6;
    int base = h - BOTTOM;
    int plotW = w - 4 - left;
    int plotH = base - TOP;
    requireRoom(c, plotW, plotH, w, h);
    g.setColor(new Color(AXIS));
    g.fillRect(left - 1, TOP, 1, base - TOP + 1);
    g.fillRect(left - 1, base, plotW + 1, 1);
    for (int v = 0; v <= c.axisMax(); v += c.tickStep()) {
      int y = base - scale(v, c.axisMax(), plotH);
      g.setColor(new Color(AXIS));
      g.fillRect(left - 4, y, 3, 1);
      String t = String.valueOf(v);
      g.setColor(new Color(TEXT));
      PixelFont.draw(g, t, left - 5 - PixelFont.width(t), y - 3);
    }
    List<Box> bars = new ArrayList<>();
    List<Box> labels = new ArrayList<>();
    List<Box> slots = new ArrayList<>();
    double slot = (double) plotW / c.size();
    for (int i = 0; i < c.size(); i++) {
      int s1 = left + (int) Math.round(i * slot);
      int s2 = left + (int) Math.round((i + 1) * slot);
      int bw = Math.max(2, (int) Math.round((s2 - s1) * 0.6));
      int x1 = s1 + (s2 - s1 - bw) / 2;
      int bh = Math.max(1, scale(c.values().get(i), c.axisMax(), plotH));
      bars.add(fill(g, c.colors().get(i), new Box(x1, base - bh, x1 + bw, base)));
      String label = c.labels().get(i);
      int tw = PixelFont.width(label);
      labels.add(text(g, label, (s1 + s2) / 2 - tw / 2, base + 3));
      slots.add(new Box(s1, TOP, s2, h));
    }
    return new RenderedChart(img, bars, labels, slots);
  }

  private static RenderedChart horizontal(BarChart c, BufferedImage img, Graphics2D g) {
    int w = img.getWidth();
    int h = img.getHeight();
    int labelW = c.labels().stream().mapToInt(PixelFont::width).max().orElse(0);
    int left = labelW + 6;
    int right = PixelFont.width(String.valueOf(c.axisMax())) / 2 + 3;
    int base = h - BOTTOM;
    int plotW = w - right - left;
    int plotH = base - TOP;
    requireRoom(c, plotH, plotW, w, h);
    g.setColor(new Color(AXIS));
    g.fillRect(left - 1, TOP, 1, base - TOP + 1);
    g.fillRect(left - 1, base, plotW + 1, 1);
    for (int v = 0; v <= c.axisMax(); v += c.tickStep()) {
      int x = left + scale(v, c.axisMax(), plotW);
      g.setColor(new Color(AXIS));
      g.fillRect(x, base + 1, 1, 2);
      String t = String.valueOf(v);
      g.setColor(new Color(TEXT));
      PixelFont.draw(g, t, x - PixelFont.width(t) / 2, base + 4);
    }
    List<Box> bars = new ArrayList<>();
    List<Box> labels = new ArrayList<>();
    List<Box> slots = new ArrayList<>();
    double slot = (double) plotH / c.size();
    for (int i = 0; i < c.size(); i++) {
      int s1 = TOP + (int) Math.round(i * slot);
      int s2 = TOP + (int) Math.round((i + 1) * slot);
      int bh = Math.max(2, (int) Math.round((s2 - s1) * 0.6));
      int y1 = s1 + (s2 - s1 - bh) / 2;
      int len = Math.max(1, scale(c.values().get(i), c.axisMax(), plotW));
      bars.add(fill(g, c.colors().get(i), new Box(left, y1, left + len, y1 + bh)));
      String label = c.labels().get(i);
      int tw = PixelFont.width(label);
      labels.add(text(g, label, left - 4 - tw, (s1 + s2) / 2 - PixelFont.HEIGHT / 2));
      slots.add(new Box(0, s1, w, s2));
    }
    return new RenderedChart(img, bars, labels, slots);
  }

  private static int scale(int value, int max, int length) {
    return (int) Math.round((double) value * length / max);
  }

  private static Box fill(Graphics2D g, int rgb, Box b) {
    g.setColor(new Color(rgb));
    g.fillRect(b.x1(), b.y1(), b.width(), b.height());
    return b;
  }

  private static Box text(Graphics2D g, String s, int x, int y) {
    g.setColor(new Color(TEXT));
    PixelFont.draw(g, s, x, y);
    return new Box(x, y, x + PixelFont.width(s), y + PixelFont.HEIGHT);
  }

  private static void requireRoom(BarChart c, int categoryAxis, int valueAxis, int w, int h) {
    int widest = c.labels().stream().mapToInt(PixelFont::width).max().orElse(0);
    boolean vertical = c.orientation() == BarChart.Orientation.VERTICAL;
    int need = vertical ? widest + 2 : PixelFont.HEIGHT + 2;
    if (categoryAxis / c.size() < need || valueAxis < 20) {
      throw new IllegalArgumentException(
          "a "
              + w
              + "x"
              + h
              + " image is too small for "
              + c.size()
              + " "
              + c.orientation().wireName()
              + " bars labelled "
              + c.labels());
    }
  }
}
