package ai.attune.grzo.optim;

import ai.attune.models.adapters.TokenCoefficients;
import java.util.Map;

/**
 * What one zeroth-order step saw and did.
 *
 * @param lossPlus per-example losses of the + pass (MeZO: one value, the batch mean)
 * @param lossMinus per-example losses of the − pass, or an empty array when not evaluated
 * @param coefficients GRZO's a_i per example; for MeZO the single projected gradient g
 * @param embeddingRows GRZO's row-sparse coefficients per perturbed embedding table (by layer
 *     name); empty for MeZO and when no embedding is perturbed
 * @param skipped true when a non-finite loss made the step leave the weights untouched
 */
public record ZoStep(
    long step,
    long seed,
    double learningRate,
    double[] lossPlus,
    double[] lossMinus,
    double[] coefficients,
    Map<String, TokenCoefficients> embeddingRows,
    boolean skipped) {

  public ZoStep {
    embeddingRows = Map.copyOf(embeddingRows);
  }

  /** The mean training loss of the step: the mean over both passes' losses. */
  public double loss() {
    double sum = 0;
    int n = 0;
    for (double v : lossPlus) {
      sum += v;
      n++;
    }
    for (double v : lossMinus) {
      sum += v;
      n++;
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** Whether every loss of the step is finite. */
  public boolean finite() {
    return allFinite(lossPlus) && allFinite(lossMinus);
  }

  static boolean allFinite(double[] values) {
    for (double v : values) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }
}
