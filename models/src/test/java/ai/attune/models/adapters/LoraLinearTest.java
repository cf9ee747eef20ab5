package ai.attune.models.adapters;

import static ai.attune.models.adapters.PerturbationCases.STEP_SEED;
import static ai.attune.models.adapters.PerturbationCases.gaussian;
import static ai.attune.models.adapters.PerturbationCases.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.core.params.Parameter;
import ai.attune.core.params.ParameterStore;
import ai.attune.models.layers.Linear;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** LoRA on one linear layer: autograd against finite differences, and with a perturbation. */
@Tag("engine")
class LoraLinearTest {
  static final int B = 2;
  static final int T = 3;
  static final int IN = 6;
  static final int OUT = 5;
  static final String NAME = "model.layers.0.mlp.fc";

  NDManager root;
  ParameterStore store;
  Linear lin;
  Lora lora;
  LoraWeights w;

  @BeforeEach
  void open() {
    root = Engines.newManager(DevicePolicy.CPU);
    store = new ParameterStore(root);
    lin = new Linear(store, NAME, IN, OUT, true);
    lin.weight().set(gaussian(store.manager(), 1, OUT, IN));
    lin.bias().set(gaussian(store.manager(), 2, OUT));
    lora = Lora.apply(store, new LoraConfig(2, 4f, List.of("fc"), 9L));
    w = lora.layers().get(0);
  }

  @AfterEach
  void close() {
    store.close();
    root.close();
  }

  void randomLora() {
    for (Parameter p : List.of(w.a(), w.b())) {
      NDArray v = gaussian(store.manager(), p.name().hashCode(), p.shape().getShape()).mul(0.5f);
      v.setRequiresGradient(true);
      p.set(v);
    }
  }

  /** {@code sum(tanh(lin(x)) ⊙ cw)}: a scalar loss that is not linear in A or B. */
  static NDArray loss(Linear layer, NDArray x, NDArray cw) {
    return layer.forward(x).tanh().mul(cw).sum();
  }

  float[][] autogradOf(NDArray x, NDArray cw) {
    try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
      gc.backward(loss(lin, x, cw));
    }
    return new float[][] {
      w.a().value().getGradient().toFloatArray(), w.b().value().getGradient().toFloatArray()
    };
  }

  @Test
  void atInitialisationOnlyBReceivesAGradient() {
    try (NDManager step = root.newSubManager()) {
      float[][] g = autogradOf(gaussian(step, 3, B, T, IN), gaussian(step, 4, B, T, OUT));
      assertThat(g[0]).containsOnly(0f);
      assertThat(maxAbs(g[1])).isGreaterThan(1e-2);
    }
  }

  @Test
  void autogradOfAAndBMatchesCentralDifferencesInFloat64() {
    randomLora();
    try (NDManager step = root.newSubManager()) {
      NDArray x = gaussian(step, 3, B, T, IN);
      NDArray cw = gaussian(step, 4, B, T, OUT);
      float[][] analytic = autogradOf(x, cw);
      for (Parameter p : List.of(lin.weight(), lin.bias(), w.a(), w.b())) {
        p.set(p.value().toType(DataType.FLOAT64, true));
      }
      NDArray x64 = x.toType(DataType.FLOAT64, false);
      NDArray cw64 = cw.toType(DataType.FLOAT64, false);
      double worst = 0;
      List<Parameter> params = List.of(w.a(), w.b());
      for (int k = 0; k < 2; k++) {
        double[] fd = centralDifferences(params.get(k), x64, cw64, step);
        double err = 0;
        double scale = 0;
        for (int j = 0; j < fd.length; j++) {
          err = Math.max(err, Math.abs(analytic[k][j] - fd[j]));
          scale = Math.max(scale, Math.abs(fd[j]));
        }
        System.out.printf(
            "lora %s: max |autograd - central difference| / max |grad| = %.3g "
                + "(max |grad| = %.3g)%n",
            params.get(k).name(), err / scale, scale);
        assertThat(scale).isGreaterThan(1e-2);
        worst = Math.max(worst, err / scale);
      }
      assertThat(worst).isLessThan(1e-3);
    }
  }

  private double[] centralDifferences(Parameter p, NDArray x, NDArray cw, NDManager step) {
    double h = 1e-5;
    double[] values = p.value().toDoubleArray();
    double[] fd = new double[values.length];
    for (int j = 0; j < values.length; j++) {
      double[] shifted = values.clone();
      shifted[j] = values[j] + h;
      p.set(store.manager().create(shifted, p.shape()));
      double plus = loss(lin, x, cw).getDouble();
      shifted[j] = values[j] - h;
      p.set(store.manager().create(shifted, p.shape()));
      double minus = loss(lin, x, cw).getDouble();
      fd[j] = (plus - minus) / (2 * h);
    }
    p.set(store.manager().create(values, p.shape()));
    return fd;
  }

  @Test
  void aPerturbationActsOnTheBaseWeightPathOnlyMergedOrNot() {
    randomLora();
    PerExamplePerturbation p =
        PerExamplePerturbation.fused(STEP_SEED, 0.1f, B, EnumSet.of(PerturbationKind.LINEAR));
    assertThatThrownBy(() -> Perturbations.apply(store, p))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("frozen");
    try (NDManager step = root.newSubManager();
        ParameterStore twinStore = new ParameterStore(root)) {
      Linear twin = new Linear(twinStore, NAME, IN, OUT, true);
      twin.weight().set(lin.weight().value().duplicate());
      twin.bias().set(lin.bias().value().duplicate());
      NDArray x = gaussian(step, 5, B, T, IN);
      x = x.concat(x, 0);
      NDArray twinBase = twin.forward(x);
      NDArray loraOnly = lin.forward(x);
      NDArray both;
      try (var applied = Perturbations.apply(store, p, layer -> true)) {
        both = lin.forward(x);
      }
      NDArray twinPerturbed;
      try (var applied = Perturbations.apply(twinStore, p)) {
        twinPerturbed = twin.forward(x);
      }
      double composed = maxAbsDiff(both.sub(loraOnly), twinPerturbed.sub(twinBase));
      lora.merge();
      NDArray mergedBoth;
      try (var applied = Perturbations.apply(store, p, layer -> true)) {
        mergedBoth = lin.forward(x);
      }
      lora.unmerge();
      double merged = maxAbsDiff(mergedBoth, both);
      System.out.printf(
          "lora + perturbation: |(both - lora) - (perturbed - base) of the plain "
              + "twin| = %.3g, |merged - unmerged| = %.3g%n",
          composed, merged);
      assertThat(maxAbsDiff(loraOnly, twinBase)).isGreaterThan(1e-2);
      assertThat(maxAbsDiff(twinPerturbed, twinBase)).isGreaterThan(1e-2);
      assertThat(composed).isLessThan(1e-5);
      assertThat(merged).isLessThan(1e-5);
    }
  }

  private static double maxAbs(float[] values) {
    double m = 0;
    for (float v : values) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }
}
