package ai.attune.grzo.tasks;

/**
 * The result of evaluating a task on a set of examples.
 *
 * @param metric {@code accuracy} (classification and choice tasks), {@code f1} (generation), or
 *     {@code loss} (examples with a loss of the user's, {@code ai.attune.grzo.api}: lower is
 *     better)
 * @param value the metric: in [0, 1] for accuracy and F1; the mean loss for {@code loss}
 * @param loss the mean per-example loss (the training loss of the task) over the examples
 * @param n the number of examples
 */
public record EvalMetrics(String metric, double value, double loss, int n) {

  public EvalMetrics {
    if (!metric.equals("accuracy") && !metric.equals("f1") && !metric.equals("loss")) {
      throw new IllegalArgumentException("metric must be accuracy, f1 or loss, got " + metric);
    }
    if (n <= 0) {
      throw new IllegalArgumentException("n must be positive, got " + n);
    }
  }

  /** Whether {@link #value} is better than {@code other}: higher, or lower for {@code loss}. */
  public boolean isBetterThan(double other) {
    return metric.equals("loss") ? value < other : value > other;
  }
}
