package ai.attune.grzo.optim;

import ai.attune.models.adapters.GroupUpdate;
import ai.attune.models.adapters.LinearNoise;
import ai.attune.models.adapters.PerExamplePerturbation;
import ai.attune.models.adapters.Perturbable;
import ai.attune.models.adapters.StepArrays;
import ai.attune.models.adapters.TokenCoefficients;
import ai.attune.models.layers.Embedding;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The bookkeeping of GRZO's update (grzo.md §2): the coefficients a_i as an array, each embedding
 * table's row coefficients, and the call of each layer's own rule ({@link
 * Perturbable#applyGroupUpdate}, which sits beside the perturbed term its forward adds):
 *
 * <ul>
 *   <li>linear ({@code Linear}): {@code W -= η · U ⊙ (Rᵀ diag(a) S) / (mσB)};
 *   <li>norm gain ({@code LayerNorm}, {@code RmsNorm}): {@code γ -= η · Σ_i a_i u_i / (mσB)};
 *   <li>embedding rows ({@code Embedding}): {@code W[v] -= η · u_v · Σ_{(i,t): row = v} a_i s_{i,t}
 *       / (mσB)}, for the rows the batch looked up only,
 * </ul>
 *
 * <p>where m is the estimator mode's multiple (2 for {@code two_norm}/{@code two}, 1 for {@code
 * one}/{@code uniform}).
 */
final class GrzoUpdate {
  private GrzoUpdate() {}

  /**
   * Applies the update of {@code layer}; {@code scaledA} is {@code a · scale} as {@code [B, 1]}
   * float32 ({@link #coefficients}) and {@code scale} η / (mσB); {@code rows} the layer's row
   * coefficients when it is an embedding table, else null.
   */
  static void apply(
      Perturbable layer,
      NDManager m,
      long seed,
      NDArray scaledA,
      double scale,
      TokenCoefficients rows,
      LinearNoise noise,
      StepArrays arrays) {
    layer.applyGroupUpdate(new GroupUpdate(m, seed, scaledA, scale, noise, arrays, rows));
  }

  /**
   * The embedding's row coefficients {@code Σ a_i s_{i,t}} over the unpadded occurrences of each
   * table row in the batch (every row of an example counts); {@code rowTokens} holds the table row
   * each position looked up, -1 at padding, and s is keyed on each token's place in its unpadded
   * row as the perturbed pass keyed it ({@link PerExamplePerturbation#leadingPads}). Rows come out
   * in increasing order.
   */
  static TokenCoefficients tokenCoefficients(
      Embedding layer, long seed, double[] a, int[] rowExamples, long[][] rowTokens) {
    int positions = rowTokens.length == 0 ? 0 : rowTokens[0].length;
    float[] s =
        layer.rowPositionSigns(
            seed, rowExamples, PerExamplePerturbation.leadingPads(rowTokens), positions);
    java.util.TreeMap<Long, Double> sums = new java.util.TreeMap<>();
    for (int r = 0; r < rowTokens.length; r++) {
      int i = rowExamples[r];
      for (int t = 0; t < positions; t++) {
        long id = rowTokens[r][t];
        if (id >= 0) {
          sums.merge(id, a[i] * s[r * positions + t], Double::sum);
        }
      }
    }
    long[] ids = sums.keySet().stream().mapToLong(Long::longValue).toArray();
    double[] coefficients = sums.values().stream().mapToDouble(Double::doubleValue).toArray();
    return new TokenCoefficients(ids, coefficients);
  }

  /**
   * {@code a · scale} as a float32 {@code [B, 1]} array in {@code m}: each product in double,
   * rounded once, so that no layer's rule needs a pass of its own for the scale.
   */
  static NDArray coefficients(NDManager m, double[] a, double scale) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) (a[i] * scale);
    }
    return m.create(f, new Shape(a.length, 1));
  }
}
