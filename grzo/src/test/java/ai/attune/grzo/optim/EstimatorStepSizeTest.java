package ai.attune.grzo.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.core.params.ParameterStore;
import ai.attune.grzo.estimator.EstimatorMode;
import ai.attune.grzo.estimator.GroupRelativeEstimator;
import ai.attune.models.adapters.PerturbationKind;
import ai.attune.models.layers.RmsNorm;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.EnumSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every estimator mode's whole step (coefficients and divisor) against values computed by hand
 * (grzo.md §2): a norm gain moves by η Σ_i a_i u_i / (mσB), m = 2 for {@code two_norm} and {@code
 * two}, m = 1 for {@code one} and {@code uniform}.
 */
@Tag("engine")
class EstimatorStepSizeTest {
  static final double[] PLUS = {1.0, 2.0, 0.5, 1.5};
  static final double[] MINUS = {0.8, 2.4, 0.5, 1.1};
  static final double SIGMA = 1e-3;
  static final double LR = 1e-4;
  static final long SEED = 5;

  // δ = [0.1, -0.2, 0, 0.2], mean 0.025, Σ(δ − mean)² = 0.0875, sample std = √(0.0875/3).
  static final double STD_DELTA = 0.17078251276599332;
  // ℓ+ mean 1.25, Σ(ℓ+ − mean)² = 1.25, sample std = √(1.25/3).
  static final double STD_PLUS = 0.6454972243679028;

  @Test
  void twoNormStepIsDeltaOverSampleStdOverTwoSigmaB() {
    double[] a = {0.1 / STD_DELTA, -0.2 / STD_DELTA, 0, 0.2 / STD_DELTA};
    assertStep(EstimatorMode.TWO_NORM, a, LR / (2 * SIGMA * 4));
  }

  @Test
  void twoStepIsRawDeltaOverTwoSigmaB() {
    assertStep(EstimatorMode.TWO, new double[] {0.1, -0.2, 0, 0.2}, LR / (2 * SIGMA * 4));
  }

  @Test
  void oneStepIsCentredPlusLossOverStdOverSigmaB() {
    double[] a = {-0.25 / STD_PLUS, 0.75 / STD_PLUS, -0.75 / STD_PLUS, 0.25 / STD_PLUS};
    assertStep(EstimatorMode.ONE, a, LR / (SIGMA * 4));
  }

  @Test
  void uniformStepIsOnesOverSigmaB() {
    assertStep(EstimatorMode.UNIFORM, new double[] {1, 1, 1, 1}, LR / (SIGMA * 4));
  }

  private static void assertStep(EstimatorMode mode, double[] a, double scale) {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        ParameterStore store = new ParameterStore(root)) {
      RmsNorm norm = new RmsNorm(store, "n", 6, 1e-6f);
      norm.weight().set(store.manager().ones(new Shape(6)));
      GrzoConfig config =
          new GrzoConfig(
              SIGMA,
              new GroupRelativeEstimator(mode, 0, 0),
              false,
              EnumSet.of(PerturbationKind.NORM));
      ZoStep r = new GrzoOptimizer(store, config).step(0, SEED, LR, new FixedLosses());
      assertThat(r.coefficients()).containsExactly(a, within(1e-6)); // a_i carry the 1e-8
      float[] u;
      try (NDManager m = root.newSubManager()) {
        u = norm.signsU(m, SEED, 4).toFloatArray();
      }
      float[] gain = norm.weight().value().toFloatArray();
      for (int d = 0; d < 6; d++) {
        double sum = 0;
        for (int i = 0; i < 4; i++) {
          sum += a[i] * u[i * 6 + d];
        }
        assertThat(1 - (double) gain[d])
            .as("%s step of gain %d", mode, d)
            .isCloseTo(scale * sum, within(1e-6));
      }
    }
  }

  /** The same losses whatever the perturbation: + pass {@link #PLUS}, − pass {@link #MINUS}. */
  private static final class FixedLosses implements BatchLoss {
    private int calls;

    @Override
    public int examples() {
      return 4;
    }

    @Override
    public int[] rowExamples() {
      return new int[] {0, 1, 2, 3};
    }

    @Override
    public long[][] rowTokens() {
      return new long[4][0];
    }

    @Override
    public double[] evaluate(int copies) {
      return calls++ == 0 ? PLUS.clone() : MINUS.clone();
    }
  }
}
