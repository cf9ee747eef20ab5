package ai.attune.models.layers;

import ai.attune.core.params.ParamKind;
import ai.attune.core.params.Parameter;
import ai.attune.core.params.ParameterStore;
import ai.attune.models.adapters.GroupUpdate;
import ai.attune.models.adapters.PerExamplePerturbation;
import ai.attune.models.adapters.PerturbableLayer;
import ai.attune.models.adapters.PerturbationKind;
import ai.attune.models.adapters.PerturbationNoise;
import ai.attune.models.adapters.RoundedUpdate;
import ai.attune.models.adapters.Temporaries;
import ai.attune.models.adapters.TokenCoefficients;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import java.util.Arrays;

/**
 * A lookup table of {@code rows x dim} vectors declared as {@code name.weight}; registers itself in
 * the store.
 *
 * <p>With a per-example perturbation set (row-sparse), token t of example i gets {@code c σ s_{i,t}
 * u_{id(t)}}: u_v is the ±1 direction of table row v ({@link #signTable}) and s_{i,t} a ±1 scalar
 * per example and place in the unpadded row ({@link #rowPositionSigns}); only the rows of the
 * batch's ids move. Only the sign rows of the ids a batch looks up are made ({@link #signRows}).
 */
public class Embedding extends PerturbableLayer {
  private final Parameter weight;

  public Embedding(ParameterStore store, String name, int rows, int dim) {
    super(store, name);
    this.weight = store.declare(name + ".weight", new Shape(rows, dim), ParamKind.EMBEDDING);
  }

  /** Rows of the table for integer {@code ids} of any shape: result shape ids.shape + [dim]. */
  public NDArray forward(NDArray ids) {
    NDArray y = lookup(ids, weight.value());
    if (perturbation() != null) {
      y = y.add(perturbationTerm(ids, y, perturbation()));
    }
    return y;
  }

  /**
   * Rows of {@code table} at {@code ids}; the ids are the first operand, so the result is theirs.
   */
  private static NDArray lookup(NDArray ids, NDArray table) {
    return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
  }

  /** {@code c σ s_{i,t} u_{id}} for ids {@code [rows, T]}. */
  private NDArray perturbationTerm(NDArray ids, NDArray y, PerExamplePerturbation p) {
    p.checkRows(name, ids);
    if (ids.getShape().dimension() != 2) {
      throw new IllegalArgumentException(
          "perturbed embedding " + name + " needs ids [rows, T], got " + ids.getShape());
    }
    NDManager m = ids.getManager();
    int n = (int) ids.getShape().get(0);
    int positions = (int) ids.getShape().get(1);
    long[][] looked = rows(ids);
    long[] flat = new long[n * positions];
    for (int r = 0; r < n; r++) {
      System.arraycopy(looked[r], 0, flat, r * positions, positions);
    }
    long[] seen = Arrays.stream(flat).distinct().sorted().toArray();
    long[] local = new long[flat.length];
    for (int k = 0; k < flat.length; k++) {
      local[k] = Arrays.binarySearch(seen, flat[k]);
    }
    long seed = p.stepSeed();
    try (Temporaries tmp = new Temporaries()) {
      NDArray table = tmp.track(signRows(m, seed, seen));
      if (table.getDataType() != y.getDataType()) {
        table = tmp.track(table.toType(y.getDataType(), false));
      }
      NDArray index = tmp.track(m.create(local, new Shape(n, positions)));
      NDArray u = tmp.track(lookup(index, table));
      NDArray signs =
          tmp.track(
              m.create(
                  rowPositionSigns(seed, p.rowExamples(), p.rowPads(), positions),
                  new Shape(n, positions)));
      NDArray scale = tmp.track(signs.mul(tmp.track(p.rowScale(m, DataType.FLOAT32, 2))));
      NDArray scale3 = tmp.track(scale.expandDims(2));
      if (scale3.getDataType() != y.getDataType()) {
        scale3 = tmp.track(scale3.toType(y.getDataType(), false));
      }
      return u.mul(scale3);
    }
  }

  private static long[][] rows(NDArray ids) {
    long[] flat;
    if (ids.getDataType() == DataType.INT64) {
      flat = ids.toLongArray();
    } else {
      try (NDArray longs = ids.toType(DataType.INT64, false)) {
        flat = longs.toLongArray();
      }
    }
    int n = (int) ids.getShape().get(0);
    int t = (int) ids.getShape().get(1);
    long[][] out = new long[n][t];
    for (int r = 0; r < n; r++) {
      System.arraycopy(flat, r * t, out[r], 0, t);
    }
    return out;
  }

  /**
   * GRZO's embedding rule, row-sparse: {@code W[v] -= scale · u_v · c_v} for the rows v the batch
   * looked up only ({@code c_v = Σ a_i s_{i,t}} over v's unpadded occurrences, {@link
   * GroupUpdate#rows}); arrays of the rows seen only, never of the whole table.
   */
  @Override
  public void applyGroupUpdate(GroupUpdate u) {
    TokenCoefficients rows = u.rows();
    if (rows == null) {
      throw new IllegalArgumentException("embedding " + name + " needs its row coefficients");
    }
    long[] ids = rows.ids();
    if (ids.length == 0) {
      return;
    }
    NDManager m = u.manager();
    float[] coef = new float[ids.length];
    for (int k = 0; k < ids.length; k++) {
      coef[k] = (float) (rows.coefficients()[k] * u.scale()); // scaled in double, rounded once
    }
    try (Temporaries tmp = new Temporaries()) {
      NDArray param = weight.value();
      NDArray step = tmp.track(signRows(m, u.seed(), ids));
      step.muli(tmp.track(m.create(coef, new Shape(ids.length, 1))));
      NDArray index = tmp.track(m.create(ids));
      NDArray current = tmp.track(lookup(index, param));
      RoundedUpdate.subtract(current, step);
      param.set(new NDIndex("{}", index), current);
    }
  }

  /**
   * The ±1 directions u_v of the given table rows ({@code [rows.length, dim]}, float32) of a step,
   * hashed on the host ({@link PerturbationNoise#rowSigns}): only the rows asked for are made.
   */
  public NDArray signRows(NDManager m, long stepSeed, long[] rows) {
    int dim = (int) weight.shape().get(1);
    return m.create(
        PerturbationNoise.rowSigns(
            stepSeed, streamIndex, PerturbationNoise.PURPOSE_EMBED_U, rows, dim),
        new Shape(rows.length, dim));
  }

  /** The ±1 direction of every table row ({@code [rows, dim]}, float32) of a step (for checks). */
  public NDArray signTable(NDManager m, long stepSeed) {
    long[] all = new long[(int) weight.shape().get(0)];
    Arrays.setAll(all, v -> v);
    return signRows(m, stepSeed, all);
  }

  /**
   * The ±1 scalar per example and position of unpadded rows ({@code [examples, positions]},
   * float32): row i is example i with no padding at its start (see {@link #rowPositionSigns}).
   */
  public NDArray positionSigns(NDManager m, long stepSeed, int examples, long positions) {
    int[] rows = new int[examples];
    Arrays.setAll(rows, i -> i);
    return m.create(
        rowPositionSigns(stepSeed, rows, new int[examples], Math.toIntExact(positions)),
        new Shape(examples, positions));
  }

  /**
   * The ±1 scalars s_{i,t} of a batch's rows, {@code [rows * positions]} row-major, hashed on the
   * host ({@link PerturbationNoise#positionSigns}): row r is example {@code rowExamples[r]} and its
   * column t the token at place {@code t - rowPads[r]} of the unpadded row, so the sign of a token
   * does not depend on how far its batch is padded.
   */
  public float[] rowPositionSigns(long stepSeed, int[] rowExamples, int[] rowPads, int positions) {
    return PerturbationNoise.positionSigns(
        stepSeed, streamIndex, PerturbationNoise.PURPOSE_EMBED_S, rowExamples, rowPads, positions);
  }

  public Parameter weight() {
    return weight;
  }

  @Override
  public PerturbationKind perturbationKind() {
    return PerturbationKind.EMBEDDING;
  }

  @Override
  public Parameter perturbedParameter() {
    return weight;
  }
}
