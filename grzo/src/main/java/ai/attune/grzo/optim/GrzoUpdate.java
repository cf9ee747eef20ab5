package ai.attune.grzo.optim;

import ai.attune.models.adapters.LinearNoise;
import ai.attune.models.adapters.Perturbable;
import ai.attune.models.adapters.Temporaries;
import ai.attune.models.layers.Embedding;
import ai.attune.models.layers.LayerNorm;
import ai.attune.models.layers.Linear;
import ai.attune.models.layers.RmsNorm;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * GRZO's update of one perturbed layer from the step seed and the coefficients a_i, by
 * regenerating the step's noise (grzo.md §2):
 *
 * <ul>
 *   <li>linear: {@code W -= η · U ⊙ (Rᵀ diag(a) S) / (mσB)} (U as the {@link LinearNoise}
 *       variant shapes it for the update);
 *   <li>norm gain: {@code γ -= η · Σ_i a_i u_i / (mσB)};
 *   <li>embedding rows: {@code W[v] -= η · u_v · Σ_{(i,t): id = v} a_i s_{i,t} / (mσB)},
 * </ul>
 *
 * <p>where m is the estimator mode's multiple (2 for {@code two_norm}/{@code two}, 1 for {@code
 * one}/{@code uniform}).
 *
 * <p>Each rule allocates only that layer's temporaries and frees them before returning; the step
 * is computed in float32 and the parameter updated in place, rounded once to its type ({@link
 * RoundedUpdate}).
 */
final class GrzoUpdate {
  private GrzoUpdate() {}

  /** Applies the update of {@code layer}; {@code scale} is η / (mσB). */
  static void apply(Perturbable layer, NDManager m, long seed, NDArray a, double scale,
      TokenCoefficients rows, LinearNoise noise) {
    try (Temporaries tmp = new Temporaries()) {
      NDArray step;
      if (layer instanceof Linear linear) {
        step = linearStep(linear, m, seed, a, noise, tmp);
      } else if (layer instanceof LayerNorm norm) {
        step = gainStep(tmp.track(norm.signsU(m, seed, (int) a.size())), a, tmp);
      } else if (layer instanceof RmsNorm norm) {
        step = gainStep(tmp.track(norm.signsU(m, seed, (int) a.size())), a, tmp);
      } else if (layer instanceof Embedding embedding) {
        step = embeddingStep(embedding, m, seed, rows, tmp);
      } else {
        throw new IllegalArgumentException("no GRZO update rule for " + layer.name());
      }
      NDArray scaled = tmp.track(step.mul((float) scale));
      RoundedUpdate.subtract(layer.perturbedParameter().value(), scaled);
    }
  }

  private static NDArray linearStep(Linear layer, NDManager m, long seed, NDArray a,
      LinearNoise noise, Temporaries tmp) {
    int b = (int) a.size();
    NDArray r = tmp.track(layer.signsR(m, seed, b)); // [B, out]
    NDArray s = tmp.track(layer.inputSigns(m, seed, b, noise)); // [B, in]
    NDArray ra = tmp.track(r.mul(tmp.track(a.reshape(b, 1))));
    NDArray g = tmp.track(tmp.track(ra.transpose()).matMul(s)); // [out, in]
    NDArray u = tmp.track(layer.direction(m, seed, noise, LinearNoise.Use.UPDATE));
    return tmp.track(u.mul(g));
  }

  private static NDArray gainStep(NDArray signs, NDArray a, Temporaries tmp) {
    NDArray weighted = tmp.track(signs.mul(tmp.track(a.reshape(a.size(), 1))));
    return tmp.track(weighted.sum(new int[] {0}));
  }

  private static NDArray embeddingStep(Embedding layer, NDManager m, long seed,
      TokenCoefficients rows, Temporaries tmp) {
    Shape table = layer.weight().shape();
    float[] coef = new float[(int) table.get(0)];
    for (int k = 0; k < rows.ids().length; k++) {
      coef[(int) rows.ids()[k]] += (float) rows.coefficients()[k];
    }
    NDArray c = tmp.track(m.create(coef).reshape(table.get(0), 1));
    NDArray u = tmp.track(layer.signTable(m, seed));
    return tmp.track(u.mul(c));
  }

  /**
   * The embedding's row coefficients {@code Σ a_i s_{i,t}} over the unpadded occurrences of each
   * table row in the batch (every row of an example counts); {@code rowTokens} holds the table
   * row each position looked up, -1 at padding.
   */
  static TokenCoefficients tokenCoefficients(Embedding layer, NDManager m, long seed,
      double[] a, int[] rowExamples, long[][] rowTokens) {
    int positions = rowTokens.length == 0 ? 0 : rowTokens[0].length;
    float[] s;
    try (NDArray signs = layer.positionSigns(m, seed, a.length, positions)) {
      s = signs.toFloatArray();
    }
    java.util.TreeMap<Long, Double> sums = new java.util.TreeMap<>();
    for (int r = 0; r < rowTokens.length; r++) {
      int i = rowExamples[r];
      for (int t = 0; t < positions; t++) {
        long id = rowTokens[r][t];
        if (id >= 0) {
          sums.merge(id, a[i] * s[i * positions + t], Double::sum);
        }
      }
    }
    long[] ids = sums.keySet().stream().mapToLong(Long::longValue).toArray();
    double[] coefficients = sums.values().stream().mapToDouble(Double::doubleValue).toArray();
    return new TokenCoefficients(ids, coefficients);
  }

  /** {@code a} as a float32 array in {@code m}. */
  static NDArray coefficients(NDManager m, double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) a[i];
    }
    return m.create(f);
  }
}
