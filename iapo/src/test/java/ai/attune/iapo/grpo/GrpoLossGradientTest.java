package ai.attune.iapo.grpo;

import static ai.attune.iapo.grpo.GrpoTestArrays.d1;
import static ai.attune.iapo.grpo.GrpoTestArrays.d2;
import static ai.attune.iapo.grpo.GrpoTestArrays.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The full loss differentiated by autograd, checked against central finite differences. */
@Tag("engine")
class GrpoLossGradientTest {
  static final double H = 1e-6;

  /** logp - old per token; kept well away from the clip edges ln 0.8 and ln 1.28. */
  static final double[] DELTA = {0.1, 0.3, -0.05, 0.02, -0.4, 0.21, -0.1, 0.05};

  static final double[] OLD = {-1.2, -0.7, -2.0, -0.3, -1.1, -0.9, -1.6, -0.5};
  static final double[] REF = {-1.0, -0.9, -1.7, -0.6, -1.0, -1.2, -1.5, -0.4};
  static final double[][] MASK = {{1, 1, 1, 0}, {1, 1, 1, 1}};

  final NDManager m = Engines.newManager(DevicePolicy.CPU);

  @AfterEach
  void close() {
    m.close();
  }

  double[] logpValues() {
    double[] v = new double[DELTA.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = OLD[i] + DELTA[i];
    }
    return v;
  }

  NDArray loss(NDArray logp, GrpoLossConfig c) {
    return GrpoLoss.compute(
            logp,
            m.create(OLD, new Shape(2, 4)),
            m.create(REF, new Shape(2, 4)),
            d1(m, 1.5, -0.8),
            d2(m, MASK),
            c,
            6)
        .loss();
  }

  double lossAt(double[] v, GrpoLossConfig c) {
    return scalar(loss(m.create(v, new Shape(2, 4)), c));
  }

  double[] autograd(GrpoLossConfig c) {
    NDArray logp = m.create(logpValues(), new Shape(2, 4));
    logp.setRequiresGradient(true);
    try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
      gc.zeroGradients();
      gc.backward(loss(logp, c));
    }
    return logp.getGradient().toDoubleArray();
  }

  double[] finiteDifferences(GrpoLossConfig c) {
    double[] g = new double[DELTA.length];
    for (int i = 0; i < g.length; i++) {
      double[] up = logpValues();
      double[] down = logpValues();
      up[i] += H;
      down[i] -= H;
      g[i] = (lossAt(up, c) - lossAt(down, c)) / (2 * H);
    }
    return g;
  }

  @Test
  void gradientMatchesFiniteDifferencesForEveryLossType() {
    for (LossType type : LossType.values()) {
      for (double beta : new double[] {0, 0.04}) {
        GrpoLossConfig c =
            GrpoLossConfig.builder().optLossType(type).optBeta(beta).optEpsilonHigh(0.28).build();
        double[] auto = autograd(c);
        double[] fd = finiteDifferences(c);
        assertThat(auto).as("%s beta %s", type, beta).containsExactly(fd, within(1e-8));
        assertThat(auto[3]).as("masked token").isEqualTo(0.0);
      }
    }
  }

  @Test
  void clippedTokensGetNoPolicyGradient() {
    GrpoLossConfig c = GrpoLossConfig.builder().optLossType(LossType.DAPO).build();
    double[] g = autograd(c);
    // token 1: ratio e^0.3 = 1.35 > 1.2 with A = 1.5 > 0; token 4: e^-0.4 = 0.67 < 0.8, A < 0
    assertThat(g[1]).isEqualTo(0.0);
    assertThat(g[4]).isEqualTo(0.0);
    // an unclipped token: d/dlogp of -(rho A) / 7 tokens = -rho A / 7
    assertThat(g[0]).isCloseTo(-Math.exp(0.1) * 1.5 / 7, within(1e-12));
    assertThat(g[5]).isCloseTo(Math.exp(0.21) * 0.8 / 7, within(1e-12));
  }

  @Test
  void configValidatesAndTakesTheDefaults() {
    GrpoLossConfig c =
        GrpoLossConfig.builder()
            .optEpsilonHigh(0.28)
            .optLossType(LossType.DR_GRPO)
            .optBeta(0.04)
            .build();
    assertThat(c).isEqualTo(new GrpoLossConfig(0.2, 0.28, 0.04, LossType.DR_GRPO, true, 1e-6));
    assertThatThrownBy(() -> GrpoLossConfig.builder().optEpsilon(0.3).optEpsilonHigh(0.2).build())
        .hasMessage("epsilon_high: must be finite and >= epsilon (0.3), got 0.2");
    GrpoLossConfig withKl = GrpoLossConfig.builder().optBeta(0.1).build();
    assertThatThrownBy(
            () ->
                GrpoLoss.compute(
                    d2(m, MASK), d2(m, MASK), null, d1(m, 1, 1), d2(m, MASK), withKl, 6))
        .hasMessage("beta = 0.1 needs the reference log-probabilities");
  }
}
