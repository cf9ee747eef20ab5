package ai.attune.grzo.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.core.params.ParameterStore;
import ai.attune.models.adapters.LinearNoise;
import ai.attune.models.layers.Linear;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * float16 weights get the update computed in float32 and rounded once (as the reference does): the
 * float16 result equals, bit for bit, the float32 twin's result rounded to float16. The update is
 * made as large as the weights so that rounding twice would differ.
 */
@Tag("engine")
class HalfPrecisionUpdateTest {
  static final int IN = 12;
  static final int OUT = 10;

  @Test
  void grzoUpdatesFloat16WeightsInFloat32AndRoundsOnce() {
    double[] a = {0.7, -1.3, 0.4};
    double scale = 0.004;
    assertRoundedOnce(
        (h, m) ->
            GrzoUpdate.apply(
                h.linear(),
                m,
                31,
                GrzoUpdate.coefficients(m, a, scale),
                scale,
                null,
                LinearNoise.GAUSSIAN,
                ai.attune.models.adapters.StepArrays.NONE));
  }

  @Test
  void mezoUpdatesFloat16WeightsInFloat32AndRoundsOnce() {
    ZoStep logged =
        new ZoStep(0, 31, 1e-2, new double[0], new double[0], new double[] {0.37}, Map.of(), false);
    assertRoundedOnce(
        (h, m) -> new MezoOptimizer(h.store(), new MezoConfig(1e-3, 0.5, true)).replay(logged));
  }

  interface Update {
    void apply(Holder holder, NDManager m);
  }

  /** A linear layer alone in its store. */
  record Holder(ParameterStore store, Linear linear) {}

  private static void assertRoundedOnce(Update update) {
    float[] w0 = new float[OUT * IN];
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < w0.length; i++) {
      w0[i] = (float) (0.01 * (rng.nextDouble() * 2 - 1));
    }
    try (NDManager root = Engines.newManager(DevicePolicy.CPU)) {
      float[] half = updated(root, w0, DataType.FLOAT16, update);
      float[] single = updated(root, w0, DataType.FLOAT32, update);
      float[] singleRounded;
      try (NDArray s = root.create(single, new Shape(OUT, IN));
          NDArray h = s.toType(DataType.FLOAT16, false);
          NDArray back = h.toType(DataType.FLOAT32, false)) {
        singleRounded = back.toFloatArray();
      }
      assertThat(half).isNotEqualTo(fromHalf(root, w0)); // the update moved the weights
      assertThat(half).containsExactly(singleRounded);
    }
  }

  /** The weights after {@code update} on a layer holding {@code w0} (as float16 first) in type. */
  private static float[] updated(NDManager root, float[] w0, DataType type, Update update) {
    float[] start = fromHalf(root, w0); // both twins start from the same float16 values
    try (ParameterStore store = new ParameterStore(root)) {
      Linear layer = new Linear(store, "l", IN, OUT, false);
      try (NDArray w = store.manager().create(start, new Shape(OUT, IN))) {
        layer.weight().set(w.toType(type, true));
      }
      try (NDManager m = root.newSubManager()) {
        update.apply(new Holder(store, layer), m);
      }
      try (NDArray out = layer.weight().value().toType(DataType.FLOAT32, true)) {
        return out.toFloatArray();
      }
    }
  }

  private static float[] fromHalf(NDManager root, float[] w) {
    try (NDArray a = root.create(w);
        NDArray h = a.toType(DataType.FLOAT16, false);
        NDArray back = h.toType(DataType.FLOAT32, false)) {
      return back.toFloatArray();
    }
  }
}
