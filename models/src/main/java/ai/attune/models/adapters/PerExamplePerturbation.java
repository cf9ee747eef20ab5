package ai.attune.models.adapters;

import ai.attune.models.layers.DirectOps;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;

/**
 * One GRZO perturbation of a model for one forward pass: example {@code i} sees the weights {@code
 * θ + c σ Δ_i}, every batch row carrying its own sign {@code c} and example index.
 *
 * <p>The directions {@code Δ_i} are not stored: each layer regenerates its noise from {@code
 * stepSeed} (see {@link PerturbationNoise}). Row {@code r} of the batch is example {@code
 * rowExamples[r]} with sign {@code rowSigns[r]}; several rows may share an example (the two halves
 * of a fused ± batch, or the option rows of one classification question) and then see the same
 * direction. Set it on a model with {@link Perturbations#apply}.
 *
 * @param stepSeed the seed every direction of this step is derived from
 * @param sigma the perturbation scale σ ({@code zo_eps}), finite and positive
 * @param examples the number B of examples, i.e. of distinct directions
 * @param rowSigns the sign c (±1) of each batch row
 * @param rowExamples the example (0 to B-1) of each batch row
 * @param kinds the layer kinds that are perturbed (at least one)
 * @param linearNoise the base direction of linear weights (Gaussian unless a variant is used)
 * @param arrays where the step's small arrays (sign vectors, per-row layouts) are made once and
 *     kept ({@link StepArrays#NONE} to make them on every use); not part of equality
 * @param rowPads the number of padding columns at the start of each batch row (0 for a row padded
 *     on the right or not at all): an embedding's per-position sign {@code s_{i,t}} is keyed on the
 *     token's place in its unpadded row, {@code t - rowPads[r]}, so it does not depend on how far a
 *     batch is padded (a data-parallel shard pads to its own longest row)
 */
public record PerExamplePerturbation(
    long stepSeed,
    float sigma,
    int examples,
    float[] rowSigns,
    int[] rowExamples,
    Set<PerturbationKind> kinds,
    LinearNoise linearNoise,
    StepArrays arrays,
    int[] rowPads) {

  /** A perturbation whose rows have no padding at their start. */
  public PerExamplePerturbation(
      long stepSeed,
      float sigma,
      int examples,
      float[] rowSigns,
      int[] rowExamples,
      Set<PerturbationKind> kinds,
      LinearNoise linearNoise,
      StepArrays arrays) {
    this(
        stepSeed,
        sigma,
        examples,
        rowSigns,
        rowExamples,
        kinds,
        linearNoise,
        arrays,
        new int[rowSigns.length]);
  }

  /** A perturbation that caches nothing between layer calls. */
  public PerExamplePerturbation(
      long stepSeed,
      float sigma,
      int examples,
      float[] rowSigns,
      int[] rowExamples,
      Set<PerturbationKind> kinds,
      LinearNoise linearNoise) {
    this(stepSeed, sigma, examples, rowSigns, rowExamples, kinds, linearNoise, StepArrays.NONE);
  }

  /** A perturbation with Gaussian linear directions. */
  public PerExamplePerturbation(
      long stepSeed,
      float sigma,
      int examples,
      float[] rowSigns,
      int[] rowExamples,
      Set<PerturbationKind> kinds) {
    this(stepSeed, sigma, examples, rowSigns, rowExamples, kinds, LinearNoise.GAUSSIAN);
  }

  /** Validates and copies every component. */
  public PerExamplePerturbation {
    if (!(sigma > 0) || !Float.isFinite(sigma)) {
      throw new IllegalArgumentException("perturbation sigma must be finite and > 0, got " + sigma);
    }
    if (examples < 1) {
      throw new IllegalArgumentException("perturbation needs examples >= 1, got " + examples);
    }
    if (rowSigns.length == 0 || rowSigns.length != rowExamples.length) {
      throw new IllegalArgumentException(
          "perturbation needs one sign and one example per row, got "
              + rowSigns.length
              + " signs and "
              + rowExamples.length
              + " examples");
    }
    for (int r = 0; r < rowSigns.length; r++) {
      if (rowSigns[r] != 1f && rowSigns[r] != -1f) {
        throw new IllegalArgumentException(
            "rowSigns[" + r + "] must be +1 or -1, got " + rowSigns[r]);
      }
      if (rowExamples[r] < 0 || rowExamples[r] >= examples) {
        throw new IllegalArgumentException(
            "rowExamples["
                + r
                + "] = "
                + rowExamples[r]
                + " is not an example index in [0, "
                + examples
                + ")");
      }
    }
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("perturbation needs at least one kind of layer");
    }
    java.util.Objects.requireNonNull(linearNoise, "linearNoise");
    java.util.Objects.requireNonNull(arrays, "arrays");
    if (rowPads.length != rowSigns.length) {
      throw new IllegalArgumentException(
          "perturbation needs one padding count per row, got "
              + rowPads.length
              + " for "
              + rowSigns.length
              + " rows");
    }
    for (int r = 0; r < rowPads.length; r++) {
      if (rowPads[r] < 0) {
        throw new IllegalArgumentException("rowPads[" + r + "] must be >= 0, got " + rowPads[r]);
      }
    }
    rowSigns = rowSigns.clone();
    rowExamples = rowExamples.clone();
    rowPads = rowPads.clone();
    kinds = Collections.unmodifiableSet(EnumSet.copyOf(kinds));
  }

  /**
   * Both signs in one batch of {@code 2B} rows: rows {@code 0..B-1} are examples {@code 0..B-1}
   * with {@code c = +1}, rows {@code B..2B-1} the same examples with {@code c = -1}.
   */
  public static PerExamplePerturbation fused(
      long stepSeed, float sigma, int examples, Set<PerturbationKind> kinds) {
    float[] signs = new float[2 * examples];
    int[] rows = new int[2 * examples];
    for (int r = 0; r < 2 * examples; r++) {
      signs[r] = r < examples ? 1f : -1f;
      rows[r] = r % examples;
    }
    return new PerExamplePerturbation(stepSeed, sigma, examples, signs, rows, kinds);
  }

  /** One sign {@code c} (+1 or -1) for a batch of {@code B} rows, row {@code i} example i. */
  public static PerExamplePerturbation signed(
      long stepSeed, float sigma, int examples, int sign, Set<PerturbationKind> kinds) {
    if (sign != 1 && sign != -1) {
      throw new IllegalArgumentException("perturbation sign must be +1 or -1, got " + sign);
    }
    float[] signs = new float[examples];
    int[] rows = new int[examples];
    for (int r = 0; r < examples; r++) {
      signs[r] = sign;
      rows[r] = r;
    }
    return new PerExamplePerturbation(stepSeed, sigma, examples, signs, rows, kinds);
  }

  /** The number of batch rows a perturbed forward must have. */
  public int rows() {
    return rowSigns.length;
  }

  /** Whether layers of {@code kind} are perturbed. */
  public boolean includes(PerturbationKind kind) {
    return kinds.contains(kind);
  }

  @Override
  public float[] rowSigns() {
    return rowSigns.clone();
  }

  @Override
  public int[] rowExamples() {
    return rowExamples.clone();
  }

  @Override
  public int[] rowPads() {
    return rowPads.clone();
  }

  /**
   * The number of padding columns at the start of each row of {@code rowTokens} (the table rows a
   * batch looks up, -1 at padding): what {@link #rowPads} takes for that batch.
   */
  public static int[] leadingPads(long[][] rowTokens) {
    int[] pads = new int[rowTokens.length];
    for (int r = 0; r < pads.length; r++) {
      int t = 0;
      while (t < rowTokens[r].length && rowTokens[r][t] < 0) {
        t++;
      }
      pads[r] = t;
    }
    return pads;
  }

  /**
   * The gain each row of a norm layer applies, {@code γ + c σ u_i} (grzo.md §2: the gain of example
   * i is perturbed along the signs u_i), shaped {@code [rows, 1, ..., 1, dim]} to broadcast against
   * {@code xhat} and of its type, in xhat's manager: the layer's output is then {@code x̂ ⊙ gains}
   * in one multiplication, with no activation-sized perturbed term beside it.
   *
   * @param layer the layer's name, for the row check's message and the cache key
   * @param gain the gain γ, {@code [dim]}
   * @param perExampleSigns makes u, {@code [examples, dim]}, in the manager it is given
   * @param xhat the normalised input before the gain, {@code [rows, ..., dim]} (read for its rows,
   *     rank, type and manager only)
   */
  public NDArray rowGains(
      String layer, NDArray gain, Function<NDManager, NDArray> perExampleSigns, NDArray xhat) {
    checkRows(layer, xhat);
    DataType type = xhat.getDataType();
    NDManager m = xhat.getManager();
    try (Temporaries tmp = new Temporaries()) {
      NDArray scaled =
          rows(
              layer,
              PerturbationNoise.PURPOSE_NORM_U,
              perExampleSigns,
              xhat.getShape().dimension(),
              type,
              true,
              m,
              tmp);
      NDArray g = gain.getDataType() == type ? gain : tmp.track(gain.toType(type, false));
      NDArray gains = scaled.add(g);
      gains.attach(m); // scaled may live in the step's cache: the sum is this call's
      return gains;
    }
  }

  /**
   * A per-example array {@code [B, d]} of this step ({@code make} draws it from the step seed),
   * made once per step when {@link #arrays} caches. The result belongs to the cache, or with {@link
   * StepArrays#NONE} is made in {@code m} and tracked in {@code tmp}: never close it.
   *
   * @param layer the layer's name and {@code purpose} the noise purpose: together with the step
   *     seed and B they must determine what {@code make} draws
   */
  public NDArray perExample(
      String layer, long purpose, Function<NDManager, NDArray> make, NDManager m, Temporaries tmp) {
    return arrays.perExample(layer, purpose, stepSeed, examples, m, tmp, make);
  }

  /**
   * The direction U of linear layer {@code layer} for this step, which {@code make} draws: from the
   * step's cache when it keeps directions ({@link StepArrays#direction}), else made in {@code m}
   * and tracked in {@code tmp}. Never close it.
   */
  public NDArray direction(
      String layer, NDManager m, Temporaries tmp, Function<NDManager, NDArray> make) {
    return arrays.direction(layer, stepSeed, m, tmp, make);
  }

  /**
   * {@link #perRow} of the per-example array {@link #perExample} gives, times {@code c_r σ} when
   * {@code scaled}: {@code [rows, 1, ..., 1, d]} of rank {@code rank} and type {@code type}, made
   * once per pass when {@link #arrays} caches. Ownership as for {@link #perExample}.
   */
  public NDArray rows(
      String layer,
      long purpose,
      Function<NDManager, NDArray> make,
      int rank,
      DataType type,
      boolean scaled,
      NDManager m,
      Temporaries tmp) {
    // the unscaled rows depend on the rows' examples only: the + and - passes share them
    Pass pass = scaled ? new Pass(rowExamples, rowSigns, sigma) : new Pass(rowExamples, null, 0f);
    return arrays.get(
        new RowsKey(layer, purpose, pass, rank, type),
        m,
        tmp,
        cm -> {
          try (Temporaries inner = new Temporaries()) {
            NDArray rows = perRow(perExample(layer, purpose, make, cm, inner), rank, type);
            if (!scaled) {
              return rows;
            }
            try (rows) {
              // one row scale per pass, rank and type, shared by every layer
              NDArray scale =
                  arrays.get(
                      new RowScaleKey(pass, rank, type), cm, inner, sm -> rowScale(sm, type, rank));
              return rows.mul(scale);
            }
          }
        });
  }

  // equals and hashCode spelled out, as StepArrays' keys (cheap in the interpreter)
  private record RowsKey(String layer, long purpose, Pass pass, int rank, DataType type) {
    @Override
    public boolean equals(Object o) {
      return o instanceof RowsKey k
          && k.purpose == purpose
          && k.rank == rank
          && k.type == type
          && k.layer.equals(layer)
          && k.pass.equals(pass);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * (31 * layer.hashCode() + Long.hashCode(purpose)) + pass.hashCode()) + rank;
    }
  }

  private record RowScaleKey(Pass pass, int rank, DataType type) {
    @Override
    public boolean equals(Object o) {
      return o instanceof RowScaleKey k && k.rank == rank && k.type == type && k.pass.equals(pass);
    }

    @Override
    public int hashCode() {
      return 31 * pass.hashCode() + rank;
    }
  }

  /**
   * What a pass's rows depend on: the rows' examples, and for scaled rows their signs and σ ({@code
   * signs} null for unscaled rows). Compared by value.
   */
  private record Pass(int[] examples, float[] signs, float sigma) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Pass p
          && Arrays.equals(examples, p.examples)
          && Arrays.equals(signs, p.signs)
          && Float.floatToIntBits(sigma) == Float.floatToIntBits(p.sigma);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * Arrays.hashCode(examples) + Arrays.hashCode(signs))
          + Float.floatToIntBits(sigma);
    }

    @Override
    public String toString() {
      return Arrays.toString(examples)
          + (signs == null ? "" : Arrays.toString(signs) + " x " + sigma);
    }
  }

  /**
   * {@code c_r σ} of every row as an array of {@code type} in {@code m}, shaped {@code [rows, 1,
   * ..., 1]} of rank {@code rank} so that it broadcasts against activations of that rank.
   */
  public NDArray rowScale(NDManager m, DataType type, int rank) {
    float[] scale = new float[rowSigns.length];
    for (int r = 0; r < scale.length; r++) {
      scale[r] = rowSigns[r] * sigma;
    }
    long[] shape = new long[rank];
    Arrays.fill(shape, 1L);
    shape[0] = scale.length;
    NDArray s = m.create(scale, new Shape(shape));
    return s.getDataType() == type ? s : s.toType(type, false);
  }

  /**
   * The rows of a per-example array {@code [B, ...]} that each batch row uses: {@code [rows, ...]},
   * in the manager of {@code perExample}.
   */
  public NDArray gatherRows(NDArray perExample) {
    long b = perExample.getShape().get(0);
    if (b != examples) {
      throw new IllegalArgumentException(
          "per-example array has " + b + " examples, the perturbation " + examples);
    }
    long[] index = new long[rowExamples.length];
    for (int r = 0; r < index.length; r++) {
      index[r] = rowExamples[r];
    }
    try (NDArray ids = perExample.getManager().create(index)) {
      return ids.getNDArrayInternal()
          .embedding(ids, perExample, SparseFormat.DENSE)
          .singletonOrThrow();
    }
  }

  /**
   * The rows of a per-example vector array {@code [B, d]} as {@code [rows, 1, ..., 1, d]} of rank
   * {@code rank} and type {@code type}, so that it broadcasts against activations {@code [rows,
   * ..., d]}; in the manager of {@code perExample}.
   */
  public NDArray perRow(NDArray perExample, int rank, DataType type) {
    if (perExample.getShape().dimension() != 2 || rank < 2) {
      throw new IllegalArgumentException(
          "perRow needs [B, d] signs and a rank >= 2, got "
              + perExample.getShape()
              + " and rank "
              + rank);
    }
    long[] shape = new long[rank];
    Arrays.fill(shape, 1L);
    shape[0] = rowSigns.length;
    shape[rank - 1] = perExample.getShape().get(1);
    boolean identity = rowsAreExamples();
    NDArray rows = identity ? perExample : gatherRows(perExample);
    try {
      NDArray shaped = DirectOps.reshape(rows, shape);
      if (shaped.getDataType() == type) {
        return shaped;
      }
      try (shaped) {
        return shaped.toType(type, false);
      }
    } finally {
      if (!identity) {
        rows.close();
      }
    }
  }

  /** Whether row r is example r for every row (no gather needed). */
  private boolean rowsAreExamples() {
    if (rowExamples.length != examples) {
      return false;
    }
    for (int r = 0; r < rowExamples.length; r++) {
      if (rowExamples[r] != r) {
        return false;
      }
    }
    return true;
  }

  /** Fails naming {@code layer} unless {@code x}'s first axis has one entry per row. */
  public void checkRows(String layer, NDArray x) {
    long rows = x.getShape().dimension() == 0 ? 0 : x.getShape().get(0);
    if (rows != rowSigns.length) {
      throw new IllegalArgumentException(
          "layer "
              + layer
              + " got an input "
              + x.getShape()
              + " with "
              + rows
              + " rows, but the perturbation set on it has "
              + rowSigns.length);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PerExamplePerturbation p
        && stepSeed == p.stepSeed
        && sigma == p.sigma
        && examples == p.examples
        && Arrays.equals(rowSigns, p.rowSigns)
        && Arrays.equals(rowExamples, p.rowExamples)
        && Arrays.equals(rowPads, p.rowPads)
        && kinds.equals(p.kinds)
        && linearNoise.equals(p.linearNoise);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Long.hashCode(stepSeed) + Arrays.hashCode(rowExamples))
        + Arrays.hashCode(rowSigns);
  }

  @Override
  public String toString() {
    return "PerExamplePerturbation[stepSeed="
        + stepSeed
        + ", sigma="
        + sigma
        + ", examples="
        + examples
        + ", rows="
        + rowSigns.length
        + ", kinds="
        + kinds
        + "]";
  }
}
