package ai.attune.models.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.noise.SeededNoise;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Set;

/** The three batch layouts every equivalence test runs: c = +1, c = -1, and a fused ± batch. */
final class PerturbationCases {
  static final long STEP_SEED = 20_260_611L;

  private PerturbationCases() {}

  static List<PerExamplePerturbation> cases(
      int examples, float sigma, Set<PerturbationKind> kinds) {
    return List.of(
        PerExamplePerturbation.signed(STEP_SEED, sigma, examples, 1, kinds),
        PerExamplePerturbation.signed(STEP_SEED, sigma, examples, -1, kinds),
        PerExamplePerturbation.fused(STEP_SEED, sigma, examples, kinds));
  }

  /** The batch a perturbation expects: {@code x} itself, or {@code [x; x]} for a fused one. */
  static NDArray batch(PerExamplePerturbation p, NDArray x) {
    long b = x.getShape().get(0);
    if (p.rows() == b) {
      return x;
    }
    assertThat(p.rows()).isEqualTo(2 * b);
    return x.concat(x, 0);
  }

  /** Seeded standard normal values. */
  static NDArray gaussian(NDManager m, long seed, long... shape) {
    return SeededNoise.gaussian(m, seed, new Shape(shape), DataType.FLOAT32);
  }

  /** Row {@code r} of {@code a}, keeping the leading axis. */
  static NDArray row(NDArray a, int r) {
    return a.get(r + ":" + (r + 1));
  }

  static double maxAbsDiff(NDArray a, NDArray b) {
    assertThat(a.getShape()).isEqualTo(b.getShape());
    return a.toType(DataType.FLOAT64, false)
        .sub(b.toType(DataType.FLOAT64, false))
        .abs()
        .max()
        .getDouble();
  }
}
