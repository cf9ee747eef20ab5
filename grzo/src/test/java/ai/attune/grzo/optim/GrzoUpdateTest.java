package ai.attune.grzo.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.core.params.ParameterStore;
import ai.attune.models.adapters.StepArrays;
import ai.attune.models.adapters.TokenCoefficients;
import ai.attune.models.layers.Linear;
import ai.attune.models.layers.RmsNorm;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** GRZO's update rules against the formulas of grzo.md §2 evaluated by hand from U, R, S. */
@Tag("engine")
class GrzoUpdateTest {
  static final long SEED = 77;
  static final double[] A = {0.5, -1.25, 2.0};

  @Test
  void linearUpdateIsUHadamardRtDiagAsOverTwoSigmaB() {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        ParameterStore store = new ParameterStore(root)) {
      Linear layer = new Linear(store, "l", 4, 3, true);
      float[] w0 = new float[12];
      for (int i = 0; i < w0.length; i++) {
        w0[i] = 0.1f * i - 0.4f;
      }
      layer.weight().set(store.manager().create(w0, new Shape(3, 4)));
      layer.bias().set(store.manager().zeros(new Shape(3)));
      double scale = 0.01 / (2 * 1e-3 * A.length);
      float[] u;
      float[] r;
      float[] s;
      try (NDManager m = root.newSubManager()) {
        u = layer.noiseU(m, SEED).toFloatArray();
        r = layer.signsR(m, SEED, 3).toFloatArray();
        s = layer.signsS(m, SEED, 3).toFloatArray();
        GrzoUpdate.apply(
            layer,
            m,
            SEED,
            GrzoUpdate.coefficients(m, A, scale),
            scale,
            null,
            ai.attune.models.adapters.LinearNoise.GAUSSIAN,
            StepArrays.NONE);
      }
      float[] w1 = layer.weight().value().toFloatArray();
      for (int o = 0; o < 3; o++) {
        for (int in = 0; in < 4; in++) {
          double g = 0;
          for (int i = 0; i < 3; i++) {
            g += r[i * 3 + o] * A[i] * s[i * 4 + in];
          }
          double expected = w0[o * 4 + in] - scale * u[o * 4 + in] * g;
          assertThat((double) w1[o * 4 + in]).isCloseTo(expected, within(1e-6));
        }
      }
      assertThat(layer.bias().value().toFloatArray()).containsOnly(0f); // biases never move
    }
  }

  @Test
  void normGainUpdateIsSumOfAiUiOverTwoSigmaB() {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        ParameterStore store = new ParameterStore(root)) {
      RmsNorm norm = new RmsNorm(store, "n", 5, 1e-6f);
      norm.weight().set(store.manager().ones(new Shape(5)));
      double scale = 0.1 / (2 * 1e-3 * A.length);
      float[] u;
      try (NDManager m = root.newSubManager()) {
        u = norm.signsU(m, SEED, 3).toFloatArray();
        GrzoUpdate.apply(
            norm,
            m,
            SEED,
            GrzoUpdate.coefficients(m, A, scale),
            scale,
            null,
            ai.attune.models.adapters.LinearNoise.GAUSSIAN,
            StepArrays.NONE);
      }
      float[] g1 = norm.weight().value().toFloatArray();
      for (int d = 0; d < 5; d++) {
        double sum = 0;
        for (int i = 0; i < 3; i++) {
          sum += A[i] * u[i * 5 + d];
        }
        assertThat((double) g1[d]).isCloseTo(1 - scale * sum, within(1e-5));
      }
    }
  }

  @Test
  void embeddingCoefficientsSumOverUnpaddedOccurrences() {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        ParameterStore store = new ParameterStore(root)) {
      var emb = new ai.attune.models.layers.Embedding(store, "e", 10, 4);
      long[][] tokens = {{-1, 3, 5}, {3, 3, 7}, {5, -1, 2}};
      int[] rows = {0, 1, 2};
      // row 0 starts with one pad: its tokens sit at places 0 and 1 of the unpadded row
      float[] s = emb.rowPositionSigns(SEED, rows, new int[] {1, 0, 0}, 3);
      float[] unpadded = emb.rowPositionSigns(SEED, rows, new int[] {0, 0, 0}, 3);
      assertThat(new float[] {s[1], s[2]}).containsExactly(unpadded[0], unpadded[1]);
      TokenCoefficients c = GrzoUpdate.tokenCoefficients(emb, SEED, A, rows, tokens);
      assertThat(c.ids()).containsExactly(2, 3, 5, 7);
      double c3 = A[0] * s[1] + A[1] * s[3] + A[1] * s[4];
      double c5 = A[0] * s[2] + A[2] * s[6];
      assertThat(c.coefficients()[1]).isCloseTo(c3, within(1e-12));
      assertThat(c.coefficients()[2]).isCloseTo(c5, within(1e-12));
      assertThat(c.coefficients()[0]).isCloseTo(A[2] * s[8], within(1e-12));
    }
  }

  @Test
  void embeddingUpdateMovesOnlyTheRowsSeen() {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        ParameterStore store = new ParameterStore(root)) {
      var emb = new ai.attune.models.layers.Embedding(store, "e", 10, 4);
      float[] w0 = new float[40];
      for (int i = 0; i < w0.length; i++) {
        w0[i] = 0.01f * i;
      }
      emb.weight().set(store.manager().create(w0, new Shape(10, 4)));
      TokenCoefficients rows = new TokenCoefficients(new long[] {2, 7}, new double[] {0.5, -2});
      double scale = 0.1;
      float[] table;
      try (NDManager m = root.newSubManager()) {
        table = emb.signTable(m, SEED).toFloatArray();
        try (StepArrays arrays = StepArrays.open(m)) {
          GrzoUpdate.apply(
              emb,
              m,
              SEED,
              GrzoUpdate.coefficients(m, A, scale),
              scale,
              rows,
              ai.attune.models.adapters.LinearNoise.GAUSSIAN,
              arrays);
        }
      }
      float[] w1 = emb.weight().value().toFloatArray();
      for (int v = 0; v < 10; v++) {
        for (int d = 0; d < 4; d++) {
          int k = v * 4 + d;
          double c = v == 2 ? 0.5 : v == 7 ? -2 : 0;
          // the row coefficient is scaled in double and rounded once; u_v is ±1, so exact
          float expected = c == 0 ? w0[k] : w0[k] - table[k] * (float) (c * scale);
          assertThat(w1[k]).as("row %d col %d", v, d).isEqualTo(expected);
        }
      }
    }
  }
}
