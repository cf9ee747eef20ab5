package ai.attune.grzo.optim;

import ai.attune.models.adapters.LinearNoise;
import ai.attune.models.adapters.PerExamplePerturbation;
import ai.attune.models.adapters.Perturbable;
import ai.attune.models.adapters.PerturbationNoise;
import ai.attune.models.adapters.StepArrays;
import ai.attune.models.adapters.Temporaries;
import ai.attune.models.layers.Embedding;
import ai.attune.models.layers.LayerNorm;
import ai.attune.models.layers.Linear;
import ai.attune.models.layers.RmsNorm;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;

/**
 * GRZO's update of one perturbed layer from the step seed and the coefficients a_i, by regenerating
 * the step's noise (grzo.md §2):
 *
 * <ul>
 *   <li>linear: {@code W -= η · U ⊙ (Rᵀ diag(a) S) / (mσB)} (U as the {@link LinearNoise} variant
 *       shapes it for the update);
 *   <li>norm gain: {@code γ -= η · Σ_i a_i u_i / (mσB)};
 *   <li>embedding rows: {@code W[v] -= η · u_v · Σ_{(i,t): id = v} a_i s_{i,t} / (mσB)}, for the
 *       rows the batch looked up only,
 * </ul>
 *
 * <p>where m is the estimator mode's multiple (2 for {@code two_norm}/{@code two}, 1 for {@code
 * one}/{@code uniform}).
 *
 * <p>A linear update holds two weight-sized arrays (U and the rank-B matrix, U scaled in place); an
 * embedding update only arrays of the rows seen. The sign vectors come from the step's {@link
 * StepArrays} when the forward passes already made them. The step is computed in float32 and the
 * parameter updated in place, rounded once to its type ({@link RoundedUpdate}); every temporary is
 * freed before returning.
 */
final class GrzoUpdate {
  private GrzoUpdate() {}

  /**
   * Applies the update of {@code layer}; {@code a} is {@code [B, 1]} float32 and {@code scale} η /
   * (mσB).
   */
  static void apply(
      Perturbable layer,
      NDManager m,
      long seed,
      NDArray a,
      double scale,
      TokenCoefficients rows,
      LinearNoise noise,
      StepArrays arrays) {
    try (Temporaries tmp = new Temporaries()) {
      NDArray param = layer.perturbedParameter().value();
      if (layer instanceof Embedding embedding) {
        updateRows(embedding, m, seed, rows, scale, tmp);
        return;
      }
      NDArray step;
      if (layer instanceof Linear linear) {
        step = linearStep(linear, m, seed, a, noise, arrays, tmp);
      } else if (layer instanceof LayerNorm norm) {
        step =
            gainStep(
                arrays.perExample(
                    norm.name(),
                    PerturbationNoise.PURPOSE_NORM_U,
                    seed,
                    (int) a.size(),
                    m,
                    tmp,
                    mm -> norm.signsU(mm, seed, (int) a.size())),
                a,
                tmp);
      } else if (layer instanceof RmsNorm norm) {
        step =
            gainStep(
                arrays.perExample(
                    norm.name(),
                    PerturbationNoise.PURPOSE_NORM_U,
                    seed,
                    (int) a.size(),
                    m,
                    tmp,
                    mm -> norm.signsU(mm, seed, (int) a.size())),
                a,
                tmp);
      } else {
        throw new IllegalArgumentException("no GRZO update rule for " + layer.name());
      }
      step.muli((float) scale);
      RoundedUpdate.subtract(param, step);
    }
  }

  /** {@code U ⊙ (Rᵀ diag(a) S)}, computed in U's storage (a temporary of {@code tmp}). */
  private static NDArray linearStep(
      Linear layer,
      NDManager m,
      long seed,
      NDArray a,
      LinearNoise noise,
      StepArrays arrays,
      Temporaries tmp) {
    int b = (int) a.size();
    NDArray r =
        arrays.perExample(
            layer.name(),
            PerturbationNoise.PURPOSE_R,
            seed,
            b,
            m,
            tmp,
            mm -> layer.signsR(mm, seed, b)); // [B, out]
    NDArray s =
        arrays.perExample(
            layer.name(),
            PerturbationNoise.PURPOSE_S,
            seed,
            b,
            m,
            tmp,
            mm -> layer.inputSigns(mm, seed, b, noise)); // [B, in]
    NDArray ra = tmp.track(r.mul(a));
    NDArray g = tmp.track(tmp.track(ra.transpose()).matMul(s)); // [out, in]
    NDArray u = tmp.track(layer.direction(m, seed, noise, LinearNoise.Use.UPDATE));
    u.muli(g);
    g.close(); // one weight-sized array less while the parameter is updated
    return u;
  }

  private static NDArray gainStep(NDArray signs, NDArray a, Temporaries tmp) {
    NDArray weighted = tmp.track(signs.mul(a));
    return tmp.track(weighted.sum(new int[] {0}));
  }

  /** {@code W[v] -= scale · u_v · c_v} for the rows v of {@code rows} only. */
  private static void updateRows(
      Embedding layer,
      NDManager m,
      long seed,
      TokenCoefficients rows,
      double scale,
      Temporaries tmp) {
    long[] ids = rows.ids();
    if (ids.length == 0) {
      return;
    }
    float[] coef = new float[ids.length];
    for (int k = 0; k < ids.length; k++) {
      coef[k] = (float) rows.coefficients()[k];
    }
    NDArray param = layer.weight().value();
    NDArray step = tmp.track(layer.signRows(m, seed, ids));
    step.muli(tmp.track(m.create(coef, new Shape(ids.length, 1))));
    step.muli((float) scale);
    NDArray index = tmp.track(m.create(ids));
    NDArray current =
        tmp.track(
            index
                .getNDArrayInternal()
                .embedding(index, param, SparseFormat.DENSE)
                .singletonOrThrow());
    RoundedUpdate.subtract(current, step);
    param.set(new NDIndex("{}", index), current);
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

  /** {@code a} as a float32 {@code [B, 1]} array in {@code m}. */
  static NDArray coefficients(NDManager m, double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) a[i];
    }
    return m.create(f, new Shape(a.length, 1));
  }
}
