package ai.attune.core.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.core.params.ParamKind;
import ai.attune.core.params.Parameter;
import ai.attune.core.params.ParameterStore;
import ai.attune.core.safetensors.HostTensor;
import ai.attune.core.safetensors.SafetensorsException;
import ai.attune.core.safetensors.SafetensorsFile;
import ai.attune.core.safetensors.SafetensorsWriter;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AdamW against the update computed by hand in doubles, element by element. */
@Tag("engine")
class AdamWTest {
  static final float[] W0 = {0.5f, -1.0f, 2.0f, 0.25f, -0.75f, 1.5f};
  static final float[] B0 = {0.1f, -0.2f, 0.3f};
  static final float[] GW1 = {0.3f, -0.2f, 0.1f, 0.05f, -0.4f, 0.25f};
  static final float[] GB1 = {-0.1f, 0.2f, 0.05f};
  static final float[] GW2 = {-0.15f, 0.1f, 0.2f, -0.3f, 0.05f, 0.1f};
  static final float[] GB2 = {0.05f, -0.05f, 0.1f};

  final NDManager root = Engines.newManager(DevicePolicy.CPU);

  @TempDir Path tmp;

  @AfterEach
  void close() {
    root.close();
  }

  /** A store with a decayed weight [2, 3] and a bias [3] that is not decayed. */
  ParameterStore store(DataType type) {
    ParameterStore s = new ParameterStore(root);
    s.declare("w", new Shape(2, 3), ParamKind.LINEAR_WEIGHT)
        .set(s.manager().create(W0, new Shape(2, 3)).toType(type, false));
    s.declare("b", new Shape(3), ParamKind.BIAS)
        .set(s.manager().create(B0, new Shape(3)).toType(type, false));
    return s;
  }

  /** PyTorch's AdamW on one tensor, in doubles. */
  static final class Reference {
    final double[] w;
    final double[] m;
    final double[] v;
    final boolean decays;
    int t;

    Reference(float[] w0, boolean decays) {
      w = new double[w0.length];
      for (int i = 0; i < w0.length; i++) {
        w[i] = w0[i];
      }
      m = new double[w0.length];
      v = new double[w0.length];
      this.decays = decays;
    }

    void step(float[] g, double scale, AdamWConfig c) {
      t++;
      double bc1 = 1 - Math.pow(c.beta1(), t);
      double bc2 = 1 - Math.pow(c.beta2(), t);
      for (int i = 0; i < w.length; i++) {
        double gi = g[i] * scale;
        if (decays) {
          w[i] *= 1 - c.lr() * c.weightDecay();
        }
        m[i] = c.beta1() * m[i] + (1 - c.beta1()) * gi;
        v[i] = c.beta2() * v[i] + (1 - c.beta2()) * gi * gi;
        w[i] -= c.lr() / bc1 * m[i] / (Math.sqrt(v[i]) / Math.sqrt(bc2) + c.eps());
      }
    }
  }

  static void assertClose(NDArray actual, double[] expected, double tol) {
    float[] a = actual.toType(DataType.FLOAT32, false).toFloatArray();
    assertThat(a).hasSize(expected.length);
    for (int i = 0; i < a.length; i++) {
      assertThat((double) a[i]).as("element %d", i).isCloseTo(expected[i], within(tol));
    }
  }

  Map<Parameter, NDArray> grads(ParameterStore s, NDManager m, float[] gw, float[] gb) {
    return Map.of(
        s.get("w"), m.create(gw, new Shape(2, 3)), s.get("b"), m.create(gb, new Shape(3)));
  }

  static double norm(float[]... parts) {
    double sq = 0;
    for (float[] p : parts) {
      for (float x : p) {
        sq += (double) x * x;
      }
    }
    return Math.sqrt(sq);
  }

  @Test
  void twoStepsMatchTheHandComputedUpdateWithDecayAndBiasCorrection() {
    AdamWConfig c = AdamWConfig.builder(0.1).optWeightDecay(0.1).optMaxGradNorm(0).build();
    ParameterStore s = store(DataType.FLOAT32);
    NDArray wBefore = s.get("w").value();
    Reference rw = new Reference(W0, true);
    Reference rb = new Reference(B0, false);
    try (AdamW opt = AdamW.overTrainable(s, c);
        NDManager m = root.newSubManager()) {
      AdamW.StepStats first = opt.step(grads(s, m, GW1, GB1));
      rw.step(GW1, 1, c);
      rb.step(GB1, 1, c);
      assertThat(first.gradNorm()).isCloseTo(norm(GW1, GB1), within(1e-6));
      assertThat(first.clipCoefficient()).isEqualTo(1.0);
      assertClose(s.get("w").value(), rw.w, 1e-6);
      assertClose(s.get("b").value(), rb.w, 1e-6);
      opt.step(grads(s, m, GW2, GB2));
      rw.step(GW2, 1, c);
      rb.step(GB2, 1, c);
      assertClose(s.get("w").value(), rw.w, 1e-6);
      assertClose(s.get("b").value(), rb.w, 1e-6);
      assertThat(opt.stepCount()).isEqualTo(2);
    }
    // Updated in place: the model keeps reading the same array.
    assertThat(s.get("w").value()).isSameAs(wBefore);
    // The bias was not decayed: decaying it too would give another value.
    Reference decayedBias = new Reference(B0, true);
    decayedBias.step(GB1, 1, c);
    decayedBias.step(GB2, 1, c);
    assertThat(Math.abs(decayedBias.w[0] - rb.w[0])).isGreaterThan(1e-3);
  }

  @Test
  void aScheduledLearningRateScalesTheStepAndTheDecay() {
    AdamWConfig c = AdamWConfig.builder(0.1).optWeightDecay(0.1).optMaxGradNorm(0).build();
    AdamWConfig half = AdamWConfig.builder(0.05).optWeightDecay(0.1).optMaxGradNorm(0).build();
    ParameterStore s = store(DataType.FLOAT32);
    try (AdamW opt = AdamW.overTrainable(s, c);
        NDManager m = root.newSubManager()) {
      opt.setLearningRate(0);
      opt.step(grads(s, m, GW1, GB1));
      assertThat(s.get("w").value().toFloatArray()).containsExactly(W0);
      opt.setLearningRate(0.05);
      opt.step(grads(s, m, GW2, GB2));
      // The moments moved at learning rate 0 too: replay step 1 with a vanishing rate.
      Reference ref = new Reference(W0, true);
      ref.step(GW1, 1, AdamWConfig.builder(1e-300).optWeightDecay(0.1).optMaxGradNorm(0).build());
      ref.step(GW2, 1, half);
      assertClose(s.get("w").value(), ref.w, 1e-6);
      assertThat(opt.learningRate()).isEqualTo(0.05);
    }
    assertThatThrownBy(() -> AdamWConfig.builder(-1).build())
        .hasMessageContaining("lr: must be a finite number > 0");
  }

  @Test
  void clipsByTheGlobalNormOfAllGradients() {
    AdamWConfig c = AdamWConfig.builder(0.05).optWeightDecay(0).optMaxGradNorm(1.0).build();
    float[] bigW = {3f, 0f, 0f, 0f, 0f, 0f};
    float[] bigB = {0f, 4f, 0f}; // global norm 5
    float[] smallW = {0.3f, 0f, 0.4f, 0f, 0f, 0f}; // global norm 0.5
    float[] smallB = {0f, 0f, 0f};
    ParameterStore s = store(DataType.FLOAT32);
    Reference rw = new Reference(W0, false);
    Reference unclipped = new Reference(W0, false);
    try (AdamW opt = AdamW.overTrainable(s, c);
        NDManager m = root.newSubManager()) {
      AdamW.StepStats first = opt.step(grads(s, m, bigW, bigB));
      assertThat(first.gradNorm()).isCloseTo(5.0, within(1e-6));
      assertThat(first.clipCoefficient()).isCloseTo(1.0 / (5.0 + 1e-6), within(1e-12));
      rw.step(bigW, first.clipCoefficient(), c);
      unclipped.step(bigW, 1, c);
      AdamW.StepStats second = opt.step(grads(s, m, smallW, smallB));
      assertThat(second.gradNorm()).isCloseTo(0.5, within(1e-6));
      assertThat(second.clipCoefficient()).isEqualTo(1.0);
      rw.step(smallW, 1, c);
      unclipped.step(smallW, 1, c);
      assertClose(s.get("w").value(), rw.w, 1e-6);
    }
    // Clipping changed the trajectory: the second step weighs the small gradient 5x more.
    assertThat(Math.abs(rw.w[0] - unclipped.w[0])).isGreaterThan(1e-3);
  }

  @Test
  void stepReadsAutogradGradientsAndZeroGradientsResetsThem() {
    AdamWConfig c = AdamWConfig.builder(0.1).optWeightDecay(0.1).optMaxGradNorm(0).build();
    ParameterStore s = store(DataType.FLOAT32);
    Reference rw = new Reference(W0, true);
    Reference rb = new Reference(B0, false);
    try (AdamW opt = AdamW.overTrainable(s, c)) {
      int live = root.getManagedArrays().size();
      for (int step = 0; step < 3; step++) {
        float[] gw = step == 1 ? GW2 : GW1;
        float[] gb = step == 1 ? GB2 : GB1;
        opt.zeroGradients();
        try (NDManager m = root.newSubManager()) {
          backward(s, m, gw, gb);
          if (step == 2) { // without zeroing, autograd adds a second backward into the first
            backward(s, m, gw, gb);
            NDArray g = s.get("b").value().getGradient();
            g.attach(m);
            assertClose(g, new double[] {2 * gb[0], 2 * gb[1], 2 * gb[2]}, 1e-7);
            opt.zeroGradients();
            backward(s, m, gw, gb);
          }
          opt.step();
        }
        rw.step(gw, 1, c);
        rb.step(gb, 1, c);
        assertClose(s.get("w").value(), rw.w, 1e-6);
        assertClose(s.get("b").value(), rb.w, 1e-6);
        assertThat(root.getManagedArrays().size())
            .as("live arrays after step %d", step)
            .isEqualTo(live);
      }
    }
  }

  /** Backward of Σ gw·w + Σ gb·b, whose gradients are gw and gb. */
  private static void backward(ParameterStore s, NDManager m, float[] gw, float[] gb) {
    try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
      NDArray loss =
          m.create(gw, new Shape(2, 3))
              .mul(s.get("w").value())
              .sum()
              .add(m.create(gb, new Shape(3)).mul(s.get("b").value()).sum());
      gc.backward(loss);
    }
  }

  @Test
  void savedStateResumesExactly() {
    AdamWConfig c = AdamWConfig.builder(0.1).optWeightDecay(0.1).build();
    Path file = tmp.resolve("adamw.safetensors");
    ParameterStore a = store(DataType.FLOAT32);
    ParameterStore b = store(DataType.FLOAT32);
    try (AdamW optA = AdamW.overTrainable(a, c);
        AdamW optB = AdamW.overTrainable(b, c);
        NDManager m = root.newSubManager()) {
      optA.step(grads(a, m, GW1, GB1));
      optA.save(file);
      optB.step(grads(b, m, GW1, GB1)); // same weights as a; its moments get replaced below
      optB.step(grads(b, m, GW2, GB2));
      b.get("w").set(a.get("w").value().duplicate());
      b.get("b").set(a.get("b").value().duplicate());
      optB.load(file);
      assertThat(optB.stepCount()).isEqualTo(1);
      optA.step(grads(a, m, GW2, GB2));
      optB.step(grads(b, m, GW2, GB2));
      assertThat(b.get("w").value().toFloatArray())
          .containsExactly(a.get("w").value().toFloatArray());
      assertThat(b.get("b").value().toFloatArray())
          .containsExactly(a.get("b").value().toFloatArray());
    }
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      assertThat(f.tensors().keySet())
          .containsExactlyInAnyOrder("w.exp_avg", "w.exp_avg_sq", "b.exp_avg", "b.exp_avg_sq");
      assertThat(f.metadata()).containsEntry("step", "1").containsEntry("optimizer", "adamw");
    }
  }

  @Test
  void loadRejectsAMissingOrMisshapedTensorNamingIt() {
    AdamWConfig c = AdamWConfig.builder(0.1).build();
    ParameterStore s = store(DataType.FLOAT32);
    Path missing = tmp.resolve("missing.safetensors");
    Path shaped = tmp.resolve("shaped.safetensors");
    Map<String, String> meta = Map.of("optimizer", "adamw", "step", "3");
    SafetensorsWriter.write(
        missing,
        List.of(
            HostTensor.ofFloats("w.exp_avg", new long[] {2, 3}, new float[6]),
            HostTensor.ofFloats("w.exp_avg_sq", new long[] {2, 3}, new float[6]),
            HostTensor.ofFloats("b.exp_avg", new long[] {3}, new float[3])),
        meta);
    SafetensorsWriter.write(
        shaped,
        List.of(
            HostTensor.ofFloats("w.exp_avg", new long[] {3, 2}, new float[6]),
            HostTensor.ofFloats("w.exp_avg_sq", new long[] {2, 3}, new float[6]),
            HostTensor.ofFloats("b.exp_avg", new long[] {3}, new float[3]),
            HostTensor.ofFloats("b.exp_avg_sq", new long[] {3}, new float[3])),
        meta);
    try (AdamW opt = AdamW.overTrainable(s, c)) {
      assertThatThrownBy(() -> opt.load(missing))
          .isInstanceOf(SafetensorsException.class)
          .hasMessageContaining("b.exp_avg_sq")
          .hasMessageContaining("missing");
      assertThatThrownBy(() -> opt.load(shaped))
          .isInstanceOf(SafetensorsException.class)
          .hasMessageContaining("w.exp_avg")
          .hasMessageContaining("[3, 2]");
      assertThat(opt.stepCount()).isZero();
    }
  }

  @Test
  void float16ParametersKeepAFloat32MasterAndGetAFreshModelCopy() {
    AdamWConfig c = AdamWConfig.builder(0.01).optWeightDecay(0.1).optMaxGradNorm(0).build();
    ParameterStore s = store(DataType.FLOAT16);
    NDArray before = s.get("w").value();
    Reference rw = new Reference(W0, true);
    Path file = tmp.resolve("fp16.safetensors");
    try (AdamW opt = AdamW.overTrainable(s, c)) {
      int live = root.getManagedArrays().size();
      try (NDManager m = root.newSubManager()) {
        opt.step(grads(s, m, GW1, GB1));
        opt.step(grads(s, m, GW2, GB2));
      }
      rw.step(GW1, 1, c);
      rw.step(GW2, 1, c);
      assertThat(root.getManagedArrays().size()).isEqualTo(live);
      NDArray w = s.get("w").value();
      assertThat(w).isNotSameAs(before);
      assertThat(w.getDataType()).isEqualTo(DataType.FLOAT16);
      assertThat(w.hasGradient()).isTrue();
      opt.save(file);
      // The master holds what float16 cannot: steps of 0.01 on values near 1 need float32.
      try (SafetensorsFile f = SafetensorsFile.open(file)) {
        float[] master = f.read("w.master").toFloats();
        for (int i = 0; i < master.length; i++) {
          assertThat((double) master[i]).isCloseTo(rw.w[i], within(1e-6));
        }
      }
      assertClose(w, rw.w, 1e-3);
    }
  }
}
