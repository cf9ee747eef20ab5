package ai.attune.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("engine")
class EnginesTest {
  @Test
  void engineStartsOfflineAndComputes() {
    try (NDManager m = Engines.newManager(DevicePolicy.CPU)) {
      NDArray a = m.create(new float[] {1, 2, 3});
      assertThat(a.mul(2).toFloatArray()).containsExactly(2, 4, 6);
    }
    assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
  }

  @Test
  void bfloat16ComputeIsRefusedWithReason() {
    assertThatThrownBy(() -> ComputeDtype.parse("bfloat16"))
        .hasMessageContaining("bfloat16")
        .hasMessageContaining("float16");
    assertThat(ComputeDtype.parse("fp16")).isEqualTo(ComputeDtype.FLOAT16);
    assertThatThrownBy(() -> ComputeDtype.parse("int8")).hasMessageContaining("int8");
  }

  @Test
  void devicePolicyParses() {
    assertThat(DevicePolicy.parse("Auto")).isEqualTo(DevicePolicy.AUTO);
    assertThatThrownBy(() -> DevicePolicy.parse("tpu")).hasMessageContaining("tpu");
  }
}
