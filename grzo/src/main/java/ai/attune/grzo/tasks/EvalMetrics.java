package ai.attune.grzo.tasks;

/**
 * The result of evaluating a task on a set of examples.
 *
 * @param metric {@code accuracy} (classification and choice tasks) or {@code f1} (generation)
 * @param value the metric, in [0, 1]
 * @param loss the mean per-example loss (the training loss of the task) over the examples
 * @param n the number of examples
 */
public record EvalMetrics(String metric, double value, double loss, int n) {

  public EvalMetrics {
    if (!metric.equals("accuracy") && !metric.equals("f1")) {
      throw new IllegalArgumentException("metric must be accuracy or f1, got " + metric);
    }
    if (n <= 0) {
      throw new IllegalArgumentException("n must be positive, got " + n);
    }
  }
}
