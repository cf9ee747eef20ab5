package ai.attune.grzo.variants;

import ai.attune.core.noise.SeededNoise;
import ai.attune.models.adapters.LinearNoise;
import ai.attune.models.adapters.PerturbationNoise;
import ai.attune.models.adapters.Temporaries;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.Supplier;

/**
 * Low-rank zeroth-order directions (LOZO-style; grzo.md §3): {@code U ← u vᵀ / √r} with u ({@code
 * out × r}) redrawn every step from the step seed and v ({@code in × r}) redrawn every {@code
 * period} steps from the run seed, so that the updates of {@code period} consecutive steps share
 * the column space of v. In the strict form the input signs s_i are all 1, so GRZO's per-example
 * directions {@code (r_i ⊙ u) vᵀ / √r} stay in span(v) too.
 */
public final class LowRankNoise implements LinearNoise {
  static final long PURPOSE_LOWRANK_U = 101;
  static final long PURPOSE_LOWRANK_V = 102;
  private final int rank;
  private final int period;
  private final long runSeed;
  private final boolean strict;
  private long step;

  public LowRankNoise(int rank, int period, long runSeed, boolean strict) {
    if (rank < 1 || period < 1) {
      throw new IllegalArgumentException(
          "low-rank needs rank >= 1 and period >= 1, got rank " + rank + ", period " + period);
    }
    this.rank = rank;
    this.period = period;
    this.runSeed = runSeed;
    this.strict = strict;
  }

  /** The paper's setting: r = 8, v redrawn every 50 steps, strict. */
  public static LowRankNoise paperDefault(long runSeed) {
    return new LowRankNoise(8, 50, runSeed, true);
  }

  @Override
  public NDArray direction(
      String layer, NDArray weight, NDManager m, long seed, Use use, Supplier<NDArray> gaussian) {
    long out = weight.getShape().get(0);
    long in = weight.getShape().get(1);
    long key = PerturbationNoise.layerKey(layer);
    try (Temporaries tmp = new Temporaries()) {
      NDArray u =
          tmp.track(
              SeededNoise.gaussian(
                  m,
                  SeededNoise.derive(seed, key, PURPOSE_LOWRANK_U),
                  new Shape(out, rank),
                  DataType.FLOAT32));
      NDArray v =
          tmp.track(
              SeededNoise.gaussian(
                  m,
                  SeededNoise.derive(runSeed, step / period, key, PURPOSE_LOWRANK_V),
                  new Shape(in, rank),
                  DataType.FLOAT32));
      NDArray uv = tmp.track(u.matMul(tmp.track(v.transpose())));
      return uv.div((float) Math.sqrt(rank));
    }
  }

  @Override
  public boolean unitInputSigns() {
    return strict;
  }

  @Override
  public void beginStep(long step) {
    this.step = step;
  }

  @Override
  public String toString() {
    return "lowrank";
  }
}
