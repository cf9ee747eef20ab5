package ai.attune.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("engine")
class SafetensorsDtypeTest {
  @Test
  void parsesHfNamesWithTheirWidths() {
    assertThat(SafetensorsDtype.parse("BF16")).isEqualTo(SafetensorsDtype.BF16);
    assertThat(SafetensorsDtype.parse("F64").byteSize()).isEqualTo(8);
    assertThat(SafetensorsDtype.parse("I16").byteSize()).isEqualTo(2);
    assertThat(SafetensorsDtype.parse("BOOL").byteSize()).isEqualTo(1);
  }

  @Test
  void unknownDtypeIsNamed() {
    assertThatThrownBy(() -> SafetensorsDtype.parse("F8_E4M3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("F8_E4M3")
        .hasMessageContaining("BF16");
  }

  @Test
  void bfloat16HasNoDjlTypeAndInt16Widens() {
    assertThatThrownBy(SafetensorsDtype.BF16::djlType)
        .hasMessageContaining("BF16")
        .hasMessageContaining("float32");
    assertThat(SafetensorsDtype.I16.djlType()).isEqualTo(DataType.INT32);
    assertThat(SafetensorsDtype.F16.djlType()).isEqualTo(DataType.FLOAT16);
    assertThat(SafetensorsDtype.U8.djlType()).isEqualTo(DataType.UINT8);
    assertThat(SafetensorsDtype.BOOL.djlType()).isEqualTo(DataType.BOOLEAN);
  }

  @Test
  void djlTypesMapBackExceptBfloat16() {
    assertThat(SafetensorsDtype.of(DataType.FLOAT16)).isEqualTo(SafetensorsDtype.F16);
    assertThat(SafetensorsDtype.of(DataType.INT64)).isEqualTo(SafetensorsDtype.I64);
    assertThatThrownBy(() -> SafetensorsDtype.of(DataType.BFLOAT16))
        .hasMessageContaining("bfloat16");
  }
}
