package ai.attune.iapo.train;

import ai.attune.core.run.AtomicFiles;
import ai.attune.core.run.MetricsWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a run's curves as PNGs with XChart (headless): {@code reward.png} (the outcome reward, the
 * shaped reward and each evaluation set's accuracy against the step) and {@code attribution_kl.png}
 * (the mean divergence D of the step's aligned rollouts, and its moving average over {@value
 * #WINDOW} steps).
 */
public final class Plots {
  static final int WINDOW = 10;
  private static final Color[] COLORS = {
    new Color(31, 119, 180),
    new Color(255, 127, 14),
    new Color(44, 160, 44),
    new Color(214, 39, 40),
    new Color(148, 103, 189)
  };

  private Plots() {}

  /**
   * Reads {@code metrics} (and {@code eval} when it exists) and writes both plots into {@code dir},
   * each atomically.
   */
  public static void write(Path metrics, Path eval, Path dir) throws IOException {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    List<ObjectNode> lines = MetricsWriter.readAll(metrics);
    Series reward = series(lines, "reward");
    Series shaped = series(lines, "reward_shaped");
    Map<String, Series> accuracy = new LinkedHashMap<>();
    if (Files.exists(eval)) {
      for (ObjectNode l : MetricsWriter.readAll(eval)) {
        accuracy
            .computeIfAbsent("eval " + l.path("set").asText() + " accuracy", k -> new Series())
            .add(l.path("step").asDouble(), MetricsWriter.number(l, "accuracy"));
      }
    }
    XYChart r = chart("IAPO reward", "reward");
    add(r, "reward (outcome)", reward, 0, false);
    add(r, "reward (shaped)", shaped, 1, false);
    int c = 2;
    for (Map.Entry<String, Series> a : accuracy.entrySet()) {
      add(r, a.getKey(), a.getValue(), c++, true);
    }
    save(r, dir.resolve("reward.png"));
    Series kl = series(lines, "attribution_kl");
    XYChart k = chart("attribution divergence D (teacher vs student)", "attribution_kl");
    add(k, "attribution_kl", kl, 0, true);
    add(k, "moving average (" + WINDOW + ")", kl.movingAverage(WINDOW), 1, false);
    save(k, dir.resolve("attribution_kl.png"));
  }

  private static Series series(List<ObjectNode> lines, String name) {
    Series s = new Series();
    for (ObjectNode l : lines) {
      s.add(l.path("step").asDouble(), MetricsWriter.number(l, name));
    }
    return s;
  }

  private static XYChart chart(String title, String y) {
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(520)
            .title(title)
            .xAxisTitle("step")
            .yAxisTitle(y)
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    return chart;
  }

  private static void add(XYChart chart, String name, Series s, int color, boolean markers) {
    if (s.x.isEmpty()) {
      return;
    }
    XYSeries series = chart.addSeries(name, s.x, s.y);
    Color col = COLORS[color % COLORS.length];
    series.setLineColor(col);
    series.setMarkerColor(col);
    series.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
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

  private static void save(XYChart chart, Path png) throws IOException {
    if (chart.getSeriesMap().isEmpty()) {
      chart.addSeries("(no finite values yet)", new double[] {0}, new double[] {0});
    }
    double last = 0;
    for (XYSeries s : chart.getSeriesMap().values()) {
      for (double x : s.getXData()) {
        last = Math.max(last, x);
      }
    }
    roundStepAxis(chart, last);
    AtomicFiles.write(png, BitmapEncoder.getBitmapBytes(chart, BitmapFormat.PNG));
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

    Series movingAverage(int window) {
      Series out = new Series();
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
