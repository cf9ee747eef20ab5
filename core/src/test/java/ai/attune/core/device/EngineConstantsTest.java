package ai.attune.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link EngineConstants}: one shared array per device, type, length and value, outliving callers.
 */
@Tag("engine")
class EngineConstantsTest {

  @Test
  void oneSharedScalarPerTypeAndValueWithThatValue() {
    try (NDManager m = Engines.newManager(DevicePolicy.CPU)) {
      NDArray half = EngineConstants.of(m, 0.5f, DataType.FLOAT32);
      assertThat(EngineConstants.of(m, 0.5f, DataType.FLOAT32)).isSameAs(half);
      assertThat(half.getShape()).isEqualTo(new Shape());
      assertThat(half.getDataType()).isEqualTo(DataType.FLOAT32);
      assertThat(half.getFloat()).isEqualTo(0.5f);

      NDArray minusOne16 = EngineConstants.of(m, -1f, DataType.FLOAT16);
      assertThat(minusOne16).isNotSameAs(EngineConstants.of(m, -1f, DataType.FLOAT32));
      assertThat(minusOne16.getDataType()).isEqualTo(DataType.FLOAT16);
      assertThat(minusOne16.toType(DataType.FLOAT32, false).getFloat()).isEqualTo(-1f);
      assertThat(half.getManager()).isNotSameAs(m); // never in the caller's manager
    }
  }

  @Test
  void oneSharedVectorPerLengthTypeAndValue() {
    try (NDManager m = Engines.newManager(DevicePolicy.CPU)) {
      NDArray ones = EngineConstants.vector(m, 3, 1f, DataType.FLOAT32);
      assertThat(EngineConstants.vector(m, 3, 1f, DataType.FLOAT32)).isSameAs(ones);
      assertThat(ones.getShape()).isEqualTo(new Shape(3));
      assertThat(ones.toFloatArray()).containsExactly(1f, 1f, 1f);

      NDArray zeros = EngineConstants.vector(m, 3, 0f, DataType.FLOAT32);
      assertThat(zeros.toFloatArray()).containsExactly(0f, 0f, 0f);
      NDArray longer = EngineConstants.vector(m, 4, 1f, DataType.FLOAT32);
      assertThat(longer.getShape()).isEqualTo(new Shape(4));
      // a vector of length 1 and the 0-d scalar of the same value are different constants
      NDArray one = EngineConstants.vector(m, 1, 1f, DataType.FLOAT32);
      assertThat(one.getShape()).isEqualTo(new Shape(1));
      assertThat(EngineConstants.of(m, 1f, DataType.FLOAT32).getShape()).isEqualTo(new Shape());
      assertThat(ones.getManager()).isNotSameAs(m);
    }
  }

  @Test
  void refusesANegativeLength() {
    try (NDManager m = Engines.newManager(DevicePolicy.CPU)) {
      assertThatThrownBy(() -> EngineConstants.vector(m, -2, 1f, DataType.FLOAT32))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("length >= 0, got -2");
    }
  }

  @Test
  void outlivesTheCallersScopeAndManager() {
    NDArray one;
    try (NDManager m = Engines.newManager(DevicePolicy.CPU);
        NDScope scope = new NDScope()) {
      one = EngineConstants.of(m, 1f, DataType.FLOAT64);
    }
    assertThat(one.isReleased()).isFalse();
    try (NDManager m = Engines.newManager(DevicePolicy.CPU)) {
      assertThat(EngineConstants.of(m, 1f, DataType.FLOAT64)).isSameAs(one);
      assertThat(one.getDouble()).isEqualTo(1.0);
    }
  }
}
