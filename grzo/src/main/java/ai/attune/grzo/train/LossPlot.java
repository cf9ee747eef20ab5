package ai.attune.grzo.train;

import ai.attune.core.run.MetricsWriter;
import ai.attune.core.run.StepPlot;
import ai.attune.core.run.StepPlot.Curve;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Draws a run's {@code metrics.jsonl} as a PNG: the training loss (moving average over {@value
 * GrzoTrainer#LOSS_WINDOW} steps) and the dev loss against the step on the left axis, the dev
 * metric (accuracy or F1) on the right axis. Drawn by core's {@link StepPlot}.
 */
public final class LossPlot {
  private LossPlot() {}

  /** Reads {@code metrics} and writes the plot to {@code png} atomically. */
  public static void write(Path metrics, Path png, String title) throws IOException {
    Curve train = new Curve();
    Curve devLoss = new Curve();
    Curve devMetric = new Curve();
    String metric = "accuracy";
    for (ObjectNode line : MetricsWriter.readAll(metrics)) {
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
    StepPlot plot =
        new StepPlot(title, "loss")
            .rightAxis("dev " + metric)
            .add(
                "train loss (avg of " + GrzoTrainer.LOSS_WINDOW + ")",
                train,
                0,
                StepPlot.COLORS[0],
                false)
            .add("dev loss", devLoss, 0, StepPlot.COLORS[1], true);
    if (!metric.equals("loss")) { // a run of the user's examples: its dev metric is the dev loss
      plot.add("dev " + metric, devMetric, 1, StepPlot.COLORS[2], true);
    }
    plot.write(png);
  }
}
