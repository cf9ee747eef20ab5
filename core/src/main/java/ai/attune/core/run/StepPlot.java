package ai.attune.core.run;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * One PNG chart of curves against the training step, as both trainers draw them (XChart, headless):
 * a left value axis and an optional right one, the step axis from 0 to a round number with
 * whole-number labels, and non-finite points left out. Lifecycle: make it, {@link #add} curves,
 * {@link #write} it once.
 */
public final class StepPlot {
  /** The palette curves take in turn (matplotlib's first five). */
  public static final Color[] COLORS = {
    new Color(31, 119, 180),
    new Color(255, 127, 14),
    new Color(44, 160, 44),
    new Color(214, 39, 40),
    new Color(148, 103, 189)
  };

  private final XYChart chart;

  /** A 900 x 520 chart titled {@code title} with {@code yTitle} on the left axis. */
  public StepPlot(String title, String yTitle) {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    chart =
        new XYChartBuilder()
            .width(900)
            .height(520)
            .title(title)
            .xAxisTitle("step")
            .yAxisTitle(yTitle)
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
  }

  /** Puts a second value axis, titled {@code title}, on the right (curves added with axis 1). */
  public StepPlot rightAxis(String title) {
    chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
    chart.setYAxisGroupTitle(1, title);
    return this;
  }

  /**
   * Adds {@code curve} as {@code name} on value axis {@code axis} (0 left, 1 right) in {@code
   * color}, with a marker at each point when {@code markers}; an empty curve is left out.
   */
  public StepPlot add(String name, Curve curve, int axis, Color color, boolean markers) {
    if (curve.size() == 0) {
      return this;
    }
    XYSeries series = chart.addSeries(name, curve.x, curve.y);
    series.setYAxisGroup(axis);
    series.setLineColor(color);
    series.setMarkerColor(color);
    series.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    return this;
  }

  /**
   * Writes the chart to {@code png} atomically, the step axis rounded to the last step drawn; a
   * chart without a finite point says so in its legend.
   */
  public void write(Path png) throws IOException {
    if (chart.getSeriesMap().isEmpty()) {
      chart.addSeries("(no finite values yet)", new double[] {0}, new double[] {0});
    }
    double last = 0;
    for (XYSeries s : chart.getSeriesMap().values()) {
      for (double x : s.getXData()) {
        last = Math.max(last, x);
      }
    }
    chart.getStyler().setXAxisMin(0.0).setXAxisMax(roundTop(last));
    chart.setCustomXAxisTickLabelsFormatter(
        v -> v == Math.rint(v) ? String.format(Locale.ROOT, "%,d", (long) (double) v) : "");
    AtomicFiles.write(png, BitmapEncoder.getBitmapBytes(chart, BitmapFormat.PNG));
  }

  /** The smallest 1, 2 or 5 times a power of ten that holds {@code lastStep} (1 for a step ≤ 1). */
  public static double roundTop(double lastStep) {
    if (!(lastStep > 1)) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(lastStep)));
    return lastStep <= p ? p : lastStep <= 2 * p ? 2 * p : lastStep <= 5 * p ? 5 * p : 10 * p;
  }

  /** The finite points of one curve, in the order added. */
  public static final class Curve {
    private final List<Double> x = new ArrayList<>();
    private final List<Double> y = new ArrayList<>();

    /** Adds the point unless {@code value} is NaN or infinite. */
    public void add(double step, double value) {
      if (Double.isFinite(value)) {
        x.add(step);
        y.add(value);
      }
    }

    /** The number of points. */
    public int size() {
      return x.size();
    }

    /** The y values, in order. */
    public List<Double> values() {
      return List.copyOf(y);
    }

    /** The trailing mean over {@code window} points (fewer at the start), at the same steps. */
    public Curve movingAverage(int window) {
      Curve out = new Curve();
      double sum = 0;
      for (int i = 0; i < y.size(); i++) {
        sum += y.get(i);
        if (i >= window) {
          sum -= y.get(i - window);
        }
        out.add(x.get(i), sum / Math.min(i + 1, window));
      }
      return out;
    }
  }
}
