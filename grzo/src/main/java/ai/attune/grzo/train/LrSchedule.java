package ai.attune.grzo.train;

/**
 * How the learning rate changes over a run ({@code optimizer.schedule}). Steps count from 1; step
 * {@code t} of {@code total} gets {@code lr · f(t)} with {@code p = (t - 1) / total}, so the first
 * step always has the full rate and no step has zero.
 */
public enum LrSchedule {
  /** {@code f = 1}: the paper's setting (plain SGD with a constant rate). */
  CONSTANT,
  /** {@code f = 1 - p}: linear decay towards 0. */
  LINEAR,
  /** {@code f = (1 + cos(π p)) / 2}: cosine decay towards 0. */
  COSINE;

  /** The learning rate of step {@code step} (1-based) of {@code total}. */
  public double at(double lr, long step, long total) {
    if (step < 1 || step > total) {
      throw new IllegalArgumentException("step " + step + " is outside 1.." + total);
    }
    double p = (double) (step - 1) / total;
    switch (this) {
      case LINEAR:
        return lr * (1 - p);
      case COSINE:
        return lr * 0.5 * (1 + Math.cos(Math.PI * p));
      default:
        return lr;
    }
  }
}
