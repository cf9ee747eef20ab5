package ai.attune.models.adapters;

import static ai.attune.models.adapters.PerturbationCases.STEP_SEED;
import static ai.attune.models.adapters.PerturbationCases.batch;
import static ai.attune.models.adapters.PerturbationCases.gaussian;
import static ai.attune.models.adapters.PerturbationCases.maxAbsDiff;
import static ai.attune.models.adapters.PerturbationCases.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.core.params.ParameterStore;
import ai.attune.models.layers.Linear;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The flipout identity of a perturbed {@link Linear}, checked row by row against explicit W. */
@Tag("engine")
class FlipoutLinearTest {
  static final int B = 4;
  static final int T = 3;
  static final int IN = 6;
  static final int OUT = 5;
  static final float SIGMA = 0.1f;
  static final Set<PerturbationKind> LINEAR = EnumSet.of(PerturbationKind.LINEAR);

  NDManager root;
  ParameterStore store;

  @BeforeEach
  void open() {
    root = Engines.newManager(DevicePolicy.CPU);
    store = new ParameterStore(root);
  }

  @AfterEach
  void close() {
    store.close();
    root.close();
  }

  Linear randomLinear(boolean withBias) {
    Linear lin = new Linear(store, "model.layers.0.mlp.fc", IN, OUT, withBias);
    lin.weight().set(gaussian(store.manager(), 1, OUT, IN));
    if (withBias) {
      lin.bias().set(gaussian(store.manager(), 2, OUT));
    }
    return lin;
  }

  @ParameterizedTest(name = "bias={0}")
  @ValueSource(booleans = {false, true})
  void everyRowEqualsAPlainForwardWithExplicitlyPerturbedWeights(boolean withBias) {
    Linear lin = randomLinear(withBias);
    for (PerExamplePerturbation p : PerturbationCases.cases(B, SIGMA, LINEAR)) {
      try (NDManager step = root.newSubManager();
          ParameterStore ref = new ParameterStore(root)) {
        NDArray x = batch(p, gaussian(step, 3, B, T, IN));
        NDArray base = lin.forward(x);
        NDArray y;
        try (var applied = Perturbations.apply(store, p)) {
          assertThat(applied.layers()).containsExactly(lin);
          y = lin.forward(x);
        }
        assertThat(step.getManagedArrays())
            .as("U is freed after the forward")
            .noneMatch(a -> a.getShape().equals(new Shape(OUT, IN)));
        Linear plain = new Linear(ref, "plain", IN, OUT, withBias);
        if (withBias) {
          plain.bias().set(lin.bias().value().duplicate());
        }
        NDArray u = lin.noiseU(step, STEP_SEED);
        NDArray r = lin.signsR(step, STEP_SEED, B);
        NDArray s = lin.signsS(step, STEP_SEED, B);
        double worst = 0;
        for (int i = 0; i < p.rows(); i++) {
          int e = p.rowExamples()[i];
          float c = p.rowSigns()[i];
          NDArray outer = row(r, e).reshape(OUT, 1).mul(row(s, e).reshape(1, IN));
          NDArray w = u.mul(outer).mul(c * SIGMA).add(lin.weight().value());
          w.attach(ref.manager());
          plain.weight().set(w);
          worst = Math.max(worst, maxAbsDiff(row(y, i), plain.forward(row(x, i))));
        }
        System.out.printf(
            "flipout linear bias=%s rows=%d: max |batched - explicit| = %.3g, "
                + "max |perturbed - base| = %.3g%n",
            withBias, p.rows(), worst, maxAbsDiff(y, base));
        assertThat(worst).isLessThan(1e-5);
        assertThat(maxAbsDiff(y, base)).isGreaterThan(1e-2);
      }
    }
  }

  @Test
  void bothHalvesOfAFusedBatchMoveInOppositeDirections() {
    Linear lin = randomLinear(true);
    try (NDManager step = root.newSubManager()) {
      NDArray x = gaussian(step, 4, B, T, IN);
      NDArray base = lin.forward(x);
      NDArray y;
      try (var applied =
          Perturbations.apply(store, PerExamplePerturbation.fused(STEP_SEED, SIGMA, B, LINEAR))) {
        y = lin.forward(x.concat(x, 0));
      }
      NDArray plus = y.get(":" + B).sub(base);
      NDArray minus = y.get(B + ":").sub(base);
      assertThat(maxAbsDiff(plus, minus.neg())).isLessThan(1e-6);
      assertThat(maxAbsDiff(lin.forward(x), base)).isZero();
    }
  }

  @Test
  void float16ActivationsStayFloat16AndMatchTheFloat32Result() {
    Linear lin = randomLinear(true);
    ParameterStore half = new ParameterStore(root);
    Linear lin16 = new Linear(half, lin.name(), IN, OUT, true);
    lin16.weight().set(lin.weight().value().toType(DataType.FLOAT16, true));
    lin16.bias().set(lin.bias().value().toType(DataType.FLOAT16, true));
    PerExamplePerturbation p = PerExamplePerturbation.fused(STEP_SEED, SIGMA, B, LINEAR);
    try (half;
        NDManager step = root.newSubManager()) {
      NDArray x = gaussian(step, 6, 2 * B, T, IN);
      NDArray y32;
      NDArray y16;
      try (var a = Perturbations.apply(store, p);
          var b = Perturbations.apply(half, p)) {
        y32 = lin.forward(x);
        y16 = lin16.forward(x.toType(DataType.FLOAT16, false));
      }
      assertThat(y16.getDataType()).isEqualTo(DataType.FLOAT16);
      double diff = maxAbsDiff(y16.toType(DataType.FLOAT32, false), y32);
      System.out.printf("flipout linear float16 vs float32: max diff %.3g%n", diff);
      assertThat(diff).isLessThan(2e-2);
    }
  }

  @Test
  void noiseIsRegeneratedFromTheStepSeedAndTheLayerName() {
    Linear lin = randomLinear(false);
    Linear other = new Linear(store, "model.layers.1.mlp.fc", IN, OUT, false);
    try (NDManager step = root.newSubManager()) {
      NDArray u = lin.noiseU(step, STEP_SEED);
      assertThat(maxAbsDiff(u, lin.noiseU(step, STEP_SEED))).isZero();
      assertThat(maxAbsDiff(u, lin.noiseU(step, STEP_SEED + 1))).isGreaterThan(0.5);
      assertThat(maxAbsDiff(u, other.noiseU(step, STEP_SEED))).isGreaterThan(0.5);
      NDArray r = lin.signsR(step, STEP_SEED, B);
      assertThat(r.getShape()).isEqualTo(new Shape(B, OUT));
      assertThat(r.abs().toFloatArray()).containsOnly(1f);
      assertThat(lin.signsS(step, STEP_SEED, B).getShape()).isEqualTo(new Shape(B, IN));
    }
  }

  @Test
  void aBatchWithTheWrongNumberOfRowsFailsNamingTheLayer() {
    Linear lin = randomLinear(false);
    try (NDManager step = root.newSubManager();
        var applied =
            Perturbations.apply(store, PerExamplePerturbation.fused(STEP_SEED, SIGMA, B, LINEAR))) {
      NDArray x = gaussian(step, 5, B, T, IN);
      assertThatThrownBy(() -> lin.forward(x))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("model.layers.0.mlp.fc")
          .hasMessageContaining("8");
    }
  }
}
