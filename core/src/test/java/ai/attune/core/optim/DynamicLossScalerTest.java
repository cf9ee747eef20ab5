package ai.attune.core.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.core.params.ParamKind;
import ai.attune.core.params.Parameter;
import ai.attune.core.params.ParameterStore;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Loss scaling: a scaled backward and an unscaling step equal the unscaled step; an overflow skips
 * the step (weights and moments unchanged), backs the scale off and counts the skip; good steps
 * grow the scale after the interval.
 */
@Tag("engine")
class DynamicLossScalerTest {
  static final float[] W0 = {0.5f, -1.0f, 2.0f, 0.25f, -0.75f, 1.5f};
  static final float[] C = {0.3f, -0.2f, 1e-6f, 0.05f, -0.4f, 0.25f};

  final NDManager root = Engines.newManager(DevicePolicy.CPU);

  @AfterEach
  void close() {
    root.close();
  }

  Parameter weight(ParameterStore s) {
    Parameter p = s.declare("w", new Shape(2, 3), ParamKind.LINEAR_WEIGHT);
    p.set(s.manager().create(W0, new Shape(2, 3)));
    return p;
  }

  /** Backward of {@code scale · Σ w·c}: the gradient is {@code scale · c}. */
  void backward(Parameter w, float[] c, double scale, AdamW opt) {
    opt.zeroGradients();
    try (NDManager s = root.newSubManager();
        GradientCollector gc = Engines.pytorch().newGradientCollector()) {
      NDArray loss = w.value().mul(s.create(c, new Shape(2, 3))).sum().mul(scale);
      gc.backward(loss);
    }
  }

  @Test
  void scaledBackwardAndUnscaledStepEqualThePlainStep() {
    AdamWConfig c = AdamWConfig.builder(0.1).optMaxGradNorm(0.3).build();
    ParameterStore plainStore = new ParameterStore(root);
    ParameterStore scaledStore = new ParameterStore(root);
    Parameter plain = weight(plainStore);
    Parameter scaled = weight(scaledStore);
    try (AdamW a = AdamW.overTrainable(plainStore, c);
        AdamW b = AdamW.overTrainable(scaledStore, c)) {
      DynamicLossScaler scaler = new DynamicLossScaler(1024, 2, 0.5, 100);
      for (int step = 0; step < 3; step++) {
        backward(plain, C, 1, a);
        AdamW.StepStats sa = a.step();
        backward(scaled, C, scaler.scale(), b);
        AdamW.StepStats sb = scaler.step(b).orElseThrow();
        assertThat(sb.gradNorm()).isCloseTo(sa.gradNorm(), within(1e-9));
        assertThat(sb.clipCoefficient()).isCloseTo(sa.clipCoefficient(), within(1e-9));
      }
      float[] x = plain.value().toFloatArray();
      float[] y = scaled.value().toFloatArray();
      for (int i = 0; i < x.length; i++) {
        assertThat(y[i]).isCloseTo(x[i], within(1e-7f));
        assertThat(Math.abs(x[i] - W0[i])).isGreaterThan(1e-3f);
      }
      assertThat(scaler.scale()).isEqualTo(1024);
      assertThat(scaler.skippedSteps()).isZero();
    }
  }

  @Test
  void overflowSkipsTheStepAndBacksOffThenGoodStepsGrowTheScale() {
    ParameterStore store = new ParameterStore(root);
    Parameter w = weight(store);
    try (AdamW opt = AdamW.overTrainable(store, AdamWConfig.builder(0.1).build())) {
      DynamicLossScaler scaler = new DynamicLossScaler(65536, 2, 0.5, 2);
      float[] overflow = C.clone();
      overflow[1] = Float.POSITIVE_INFINITY;
      backward(w, overflow, scaler.scale(), opt);
      Optional<AdamW.StepStats> st = scaler.step(opt);
      assertThat(st).isEmpty();
      assertThat(w.value().toFloatArray()).containsExactly(W0);
      assertThat(opt.stepCount()).isZero();
      assertThat(scaler.scale()).isEqualTo(32768);
      assertThat(scaler.skippedSteps()).isEqualTo(1);
      backward(w, C, scaler.scale(), opt);
      assertThat(scaler.step(opt)).isPresent();
      assertThat(scaler.scale()).isEqualTo(32768);
      backward(w, C, scaler.scale(), opt);
      assertThat(scaler.step(opt)).isPresent();
      assertThat(scaler.scale()).isEqualTo(65536);
      assertThat(opt.stepCount()).isEqualTo(2);
    }
  }

  @Test
  void plainStepStillRefusesANonFiniteGradient() {
    ParameterStore store = new ParameterStore(root);
    Parameter w = weight(store);
    try (AdamW opt = AdamW.overTrainable(store, AdamWConfig.builder(0.1).build())) {
      float[] nan = C.clone();
      nan[0] = Float.NaN;
      backward(w, nan, 1, opt);
      assertThatThrownBy(opt::step)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no parameter was changed");
      assertThat(w.value().toType(DataType.FLOAT32, false).toFloatArray()).containsExactly(W0);
    }
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> new DynamicLossScaler(0, 2, 0.5, 1))
        .hasMessageContaining("initial loss scale");
    assertThatThrownBy(() -> new DynamicLossScaler(1, 1, 0.5, 1))
        .hasMessageContaining("growth factor");
    assertThatThrownBy(() -> new DynamicLossScaler(1, 2, 1, 1))
        .hasMessageContaining("back-off factor");
    assertThatThrownBy(() -> new DynamicLossScaler(1, 2, 0.5, 0))
        .hasMessageContaining("growth interval");
  }
}
