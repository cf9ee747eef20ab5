package ai.attune.models.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Each direct op gives DJL's method's values, shape and manager, bit for bit. */
@Tag("engine")
class DirectOpsTest {

  private static void assertSame(NDArray got, NDArray expected, NDManager owner) {
    assertThat(got.getShape()).isEqualTo(expected.getShape());
    assertThat(got.getDataType()).isEqualTo(expected.getDataType());
    assertThat(got.toFloatArray()).containsExactly(expected.toFloatArray());
    assertThat(got.getManager()).isSameAs(owner);
  }

  private static NDArray random(NDManager m, long... shape) {
    Engines.pytorch().setRandomSeed(7);
    return m.randomNormal(new Shape(shape));
  }

  @Test
  void permuteSwapAxesAndReshapeMatchDjl() {
    try (NDManager m = Engines.newManager(DevicePolicy.CPU)) {
      NDArray x = random(m, 2, 3, 4, 5);
      assertSame(DirectOps.permute(x, 0, 2, 1, 3), x.transpose(0, 2, 1, 3), m);
      assertSame(DirectOps.permute(x, 3, 0, 2, 1), x.transpose(3, 0, 2, 1), m);
      assertSame(DirectOps.swapAxes(x, 2, 3), x.transpose(0, 1, 3, 2), m);
      assertSame(DirectOps.reshape(x, 6, 20), x.reshape(6, 20), m);
      // a permuted view is not contiguous: reshape then copies, as DJL's does
      NDArray t = DirectOps.permute(x, 0, 2, 1, 3);
      assertSame(DirectOps.reshape(t, 2, 4, 15), x.transpose(0, 2, 1, 3).reshape(2, 4, 15), m);
    }
  }

  @Test
  void matMulAndLinearMatchDjl() {
    try (NDManager m = Engines.newManager(DevicePolicy.CPU)) {
      NDArray q = random(m, 2, 3, 5, 4);
      NDArray k = random(m, 2, 3, 6, 4).add(1f);
      assertSame(
          DirectOps.matMul(q, DirectOps.swapAxes(k, 2, 3)), q.matMul(k.transpose(0, 1, 3, 2)), m);
      NDArray x = random(m, 2, 5, 4);
      NDArray w = random(m, 3, 4).mul(0.5f);
      NDArray b = random(m, 3).sub(1f);
      assertSame(
          DirectOps.linear(x, w, b), x.getNDArrayInternal().linear(x, w, b).singletonOrThrow(), m);
      assertSame(
          DirectOps.linear(x, w, null),
          x.getNDArrayInternal().linear(x, w, null).singletonOrThrow(),
          m);
      // and what the op computes: x Wᵀ + b at one position, in double
      float[] xs = x.toFloatArray();
      float[] ws = w.toFloatArray();
      float[] bs = b.toFloatArray();
      float[] y = DirectOps.linear(x, w, b).toFloatArray();
      for (int o = 0; o < 3; o++) {
        double sum = bs[o];
        for (int i = 0; i < 4; i++) {
          sum += (double) xs[i] * ws[o * 4 + i];
        }
        assertThat((double) y[o]).isCloseTo(sum, within(1e-5));
      }
    }
  }

  @Test
  void sliceMatchesDjlsIndexOnEveryAxis() {
    try (NDManager m = Engines.newManager(DevicePolicy.CPU)) {
      NDArray x = random(m, 3, 4, 5);
      assertSame(DirectOps.slice(x, 0, 1, 3), x.get("1:3"), m);
      assertSame(DirectOps.slice(x, 1, 0, 3), x.get(":, :3"), m);
      assertSame(DirectOps.slice(x, 2, 2, 5), x.get(":, :, 2:"), m);
      assertSame(DirectOps.slice(x, 1, 1, 4).get(0, 0, 0), x.get(0, 1, 0), m);
      NDArray ids = m.arange(0, 12, 1, DataType.INT64).reshape(3, 4);
      NDArray tail = DirectOps.slice(ids, 1, 1, 4);
      assertThat(tail.getShape()).isEqualTo(new Shape(3, 3));
      assertThat(tail.getDataType()).isEqualTo(DataType.INT64);
      assertThat(tail.toLongArray()).containsExactly(ids.get(":, 1:").toLongArray());
    }
  }

  @Test
  void flattenAndLayerNormMatchDjl() {
    try (NDManager m = Engines.newManager(DevicePolicy.CPU)) {
      NDArray x = random(m, 2, 3, 4, 5);
      NDArray t = DirectOps.permute(x, 0, 2, 1, 3); // not contiguous: flatten copies
      assertSame(DirectOps.flatten(t, 2, 3), x.transpose(0, 2, 1, 3).reshape(2, 4, 15), m);
      assertSame(DirectOps.flatten(x, 0, 1), x.reshape(6, 4, 5), m);
      NDArray gamma = random(m, 5).add(1f);
      NDArray beta = random(m, 5).mul(0.1f);
      assertSame(
          DirectOps.layerNorm(x, new Shape(5), gamma, beta, 1e-5f),
          x.getNDArrayInternal().layerNorm(x, new Shape(5), gamma, beta, 1e-5f).singletonOrThrow(),
          m);
    }
  }
}
