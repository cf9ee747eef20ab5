package ai.attune.grzo.optim;

import ai.attune.models.CausalLM;
import ai.djl.ndarray.NDManager;

/** Test helpers shared with other test packages. */
public final class VariantTestSupport {
  private VariantTestSupport() {}

  /** A small LM batch loss over a narrow vocabulary. */
  public static BatchLoss lmBatch(
      CausalLM model, NDManager m, int examples, int length, long seed) {
    return new LmBatchLoss(model, m, examples, length, seed);
  }

  /** The numerical rank of a row-major {@code rows x cols} matrix (Gaussian elimination). */
  public static int rank(float[] values, int rows, int cols) {
    double[][] a = new double[rows][cols];
    double scale = 0;
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        a[i][j] = values[i * cols + j];
        scale = Math.max(scale, Math.abs(a[i][j]));
      }
    }
    int rank = 0;
    for (int col = 0; col < cols && rank < rows; col++) {
      int pivot = rank;
      for (int i = rank + 1; i < rows; i++) {
        if (Math.abs(a[i][col]) > Math.abs(a[pivot][col])) {
          pivot = i;
        }
      }
      if (Math.abs(a[pivot][col]) <= 1e-5 * scale) {
        continue;
      }
      double[] t = a[pivot];
      a[pivot] = a[rank];
      a[rank] = t;
      for (int i = rank + 1; i < rows; i++) {
        double f = a[i][col] / a[rank][col];
        for (int j = col; j < cols; j++) {
          a[i][j] -= f * a[rank][j];
        }
      }
      rank++;
    }
    return rank;
  }
}
