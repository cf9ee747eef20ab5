package ai.attune.iapo.warmstart;

import java.util.Arrays;

/**
 * What a warm start did.
 *
 * @param losses the mean policy-token cross-entropy of each step's batch, before its update
 * @param seconds wall-clock time
 */
public record WarmStartResult(double[] losses, double seconds) {
  public WarmStartResult {
    losses = losses.clone();
  }

  @Override
  public double[] losses() {
    return losses.clone();
  }

  /** The mean loss of the first {@code n} steps. */
  public double firstMean(int n) {
    return Arrays.stream(losses, 0, Math.min(n, losses.length)).average().orElse(Double.NaN);
  }

  /** The mean loss of the last {@code n} steps. */
  public double lastMean(int n) {
    return Arrays.stream(losses, Math.max(0, losses.length - n), losses.length)
        .average()
        .orElse(Double.NaN);
  }
}
