package ai.attune.grzo.train;

import ai.attune.core.run.AtomicFiles;
import ai.attune.core.run.MetricsWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a run's {@code metrics.jsonl} as a PNG: the training loss (moving average over {@value
 * GrzoTrainer#LOSS_WINDOW} steps) and the dev loss against the step on the left axis, the dev
 * metric (accuracy or F1) on the right axis. Rendered headless with XChart.
 */
public final class LossPlot {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 520;

  private LossPlot() {}

  /** Reads {@code metrics} and writes the plot to {@code png} atomically. */
  public static void write(Path metrics, Path png, String title) throws IOException {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    List<ObjectNode> lines = MetricsWriter.readAll(metrics);
    Series train = new Series();
    Series devLoss = new Series();
    Series devMetric = new Series();
    String metric = "accuracy";
    for (ObjectNode line : lines) {
      String event = line.path("event").asText();
      double step = line.path("step").asDouble();
      if (event.equals("train")) {
        train.add(step, MetricsWriter.number(line, "loss_avg"));
      } else if (event.equals("eval") && line.path("split").asText().equals("dev")) {
        metric = line.path("metric").asText(metric);
        devLoss.add(step, MetricsWriter.number(line, "loss"));
        devMetric.add(step, MetricsWriter.number(line, "value"));
      }
    }
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle("step")
            .yAxisTitle("loss")
            .build();
    chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
    chart.setYAxisGroupTitle(1, "dev " + metric);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    add(
        chart,
        "train loss (avg of " + GrzoTrainer.LOSS_WINDOW + ")",
        train,
        0,
        new Color(31, 119, 180),
        false);
    add(chart, "dev loss", devLoss, 0, new Color(255, 127, 14), true);
    if (!metric.equals("loss")) { // a run of the user's examples: its dev metric is the dev loss
      add(chart, "dev " + metric, devMetric, 1, new Color(44, 160, 44), true);
    }
    double last = 0;
    for (Series s : List.of(train, devLoss, devMetric)) {
      last = s.x.isEmpty() ? last : Math.max(last, s.x.get(s.x.size() - 1));
    }
    roundStepAxis(chart, last);
    byte[] bytes = BitmapEncoder.getBitmapBytes(chart, BitmapFormat.PNG);
    AtomicFiles.write(png, bytes);
  }

  /**
   * Puts the step axis on round numbers: from 0 to the smallest 1, 2 or 5 times a power of ten that
   * holds {@code lastStep}, with whole-number labels (ticks fall on multiples of a round step from
   * 0, not on the first logged step).
   */
  static void roundStepAxis(XYChart chart, double lastStep) {
    double top = 1;
    if (lastStep > 1) {
      double p = Math.pow(10, Math.floor(Math.log10(lastStep)));
      top = lastStep <= p ? p : lastStep <= 2 * p ? 2 * p : lastStep <= 5 * p ? 5 * p : 10 * p;
    }
    chart.getStyler().setXAxisMin(0.0).setXAxisMax(top);
    chart.setCustomXAxisTickLabelsFormatter(
        v ->
            v == Math.rint(v)
                ? String.format(java.util.Locale.ROOT, "%,d", (long) (double) v)
                : "");
  }

  private static void add(
      XYChart chart, String name, Series s, int axis, Color color, boolean markers) {
    if (s.x.isEmpty()) {
      return;
    }
    XYSeries series = chart.addSeries(name, s.x, s.y);
    series.setYAxisGroup(axis);
    series.setLineColor(color);
    series.setMarkerColor(color);
    series.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
  }

  /** Finite points of one curve. */
  private static final class Series {
    final List<Double> x = new ArrayList<>();
    final List<Double> y = new ArrayList<>();

    void add(double step, double value) {
      if (Double.isFinite(value)) {
        x.add(step);
        y.add(value);
      }
    }
  }
}
