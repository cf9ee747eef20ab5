package ai.attune.iapo.train;

import ai.attune.core.run.MetricsWriter;
import ai.attune.core.run.StepPlot;
import ai.attune.core.run.StepPlot.Curve;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws a run's curves as PNGs (core's {@link StepPlot}): {@code reward.png} (the outcome reward,
 * the shaped reward and each evaluation set's accuracy against the step) and {@code
 * attribution_kl.png} (the mean divergence D of the step's aligned rollouts, and its moving average
 * over {@value #WINDOW} steps).
 */
public final class Plots {
  static final int WINDOW = 10;

  private Plots() {}

  /**
   * Reads {@code metrics} (and {@code eval} when it exists) and writes both plots into {@code dir},
   * each atomically.
   */
  public static void write(Path metrics, Path eval, Path dir) throws IOException {
    List<ObjectNode> lines = MetricsWriter.readAll(metrics);
    Map<String, Curve> accuracy = new LinkedHashMap<>();
    if (Files.exists(eval)) {
      for (ObjectNode l : MetricsWriter.readAll(eval)) {
        accuracy
            .computeIfAbsent("eval " + l.path("set").asText() + " accuracy", k -> new Curve())
            .add(l.path("step").asDouble(), MetricsWriter.number(l, "accuracy"));
      }
    }
    StepPlot reward =
        new StepPlot("IAPO reward", "reward")
            .add("reward (outcome)", curve(lines, "reward"), 0, color(0), false)
            .add("reward (shaped)", curve(lines, "reward_shaped"), 0, color(1), false);
    int c = 2;
    for (Map.Entry<String, Curve> a : accuracy.entrySet()) {
      reward.add(a.getKey(), a.getValue(), 0, color(c++), true);
    }
    reward.write(dir.resolve("reward.png"));
    Curve kl = curve(lines, "attribution_kl");
    new StepPlot("attribution divergence D (teacher vs student)", "attribution_kl")
        .add("attribution_kl", kl, 0, color(0), true)
        .add("moving average (" + WINDOW + ")", kl.movingAverage(WINDOW), 0, color(1), false)
        .write(dir.resolve("attribution_kl.png"));
  }

  private static Curve curve(List<ObjectNode> lines, String name) {
    Curve s = new Curve();
    for (ObjectNode l : lines) {
      s.add(l.path("step").asDouble(), MetricsWriter.number(l, name));
    }
    return s;
  }

  private static Color color(int i) {
    return StepPlot.COLORS[i % StepPlot.COLORS.length];
  }
}
