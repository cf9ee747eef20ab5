package ai.attune.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class HalfFloatsTest {
  @Test
  void bfloat16RoundsToNearestEven() {
    assertThat(bf16(1.0f)).isEqualTo(1.0f);
    assertThat(bf16(-2.5f)).isEqualTo(-2.5f);
    assertThat(bf16(3.14159f)).isEqualTo(3.140625f);
    assertThat(HalfFloats.floatToBf16(1.0f)).isEqualTo((short) 0x3f80);
    // exactly halfway between two bf16 values: ties go to the even mantissa
    assertThat(HalfFloats.floatToBf16(Float.intBitsToFloat(0x3f808000))).isEqualTo((short) 0x3f80);
    assertThat(HalfFloats.floatToBf16(Float.intBitsToFloat(0x3f818000))).isEqualTo((short) 0x3f82);
    assertThat(HalfFloats.floatToBf16(Float.intBitsToFloat(0x3f808001))).isEqualTo((short) 0x3f81);
    assertThat(bf16(Float.MAX_VALUE)).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(bf16(Float.NaN)).isNaN();
  }

  @Test
  void halfRoundsToNearestEvenAcrossRanges() {
    assertThat(HalfFloats.floatToHalf(1.0f)).isEqualTo((short) 0x3c00);
    assertThat(HalfFloats.floatToHalf(-2.5f)).isEqualTo((short) 0xc100);
    assertThat(HalfFloats.floatToHalf(65504f)).isEqualTo((short) 0x7bff);
    assertThat(HalfFloats.floatToHalf(65519.99f)).isEqualTo((short) 0x7bff);
    assertThat(HalfFloats.floatToHalf(65520f)).isEqualTo((short) 0x7c00);
    assertThat(HalfFloats.floatToHalf(0x1p-24f)).isEqualTo((short) 0x0001);
    assertThat(HalfFloats.floatToHalf(0x1p-25f)).isEqualTo((short) 0x0000); // tie to even 0
    assertThat(HalfFloats.floatToHalf(0x1.8p-24f)).isEqualTo((short) 0x0002); // 1.5 units -> 2
    assertThat(HalfFloats.floatToHalf(0x1.ff8p-15f)).isEqualTo((short) 0x03ff); // max subnormal
    assertThat(HalfFloats.floatToHalf(0x1.ffcp-15f)).isEqualTo((short) 0x0400); // tie: min normal
    assertThat(HalfFloats.floatToHalf(1e-9f)).isEqualTo((short) 0x0000);
    assertThat(HalfFloats.floatToHalf(-0.0f)).isEqualTo((short) 0x8000);
    assertThat(HalfFloats.halfToFloat(HalfFloats.floatToHalf(Float.NaN))).isNaN();
    assertThat(HalfFloats.floatToHalf(Float.NEGATIVE_INFINITY)).isEqualTo((short) 0xfc00);
    // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to even (1.0)
    assertThat(HalfFloats.floatToHalf(1f + 0x1p-11f)).isEqualTo((short) 0x3c00);
    assertThat(HalfFloats.floatToHalf(1f + 0x1.8p-10f)).isEqualTo((short) 0x3c02);
  }

  @Test
  void everyHalfAndBfloat16ValueSurvivesARoundTrip() {
    for (int bits = 0; bits < 0x10000; bits++) {
      short h = (short) bits;
      float f = HalfFloats.halfToFloat(h);
      if (!Float.isNaN(f)) {
        assertThat(HalfFloats.floatToHalf(f)).as("half 0x%04x", bits).isEqualTo(h);
      }
      float b = HalfFloats.bf16ToFloat(h);
      if (!Float.isNaN(b)) {
        assertThat(HalfFloats.floatToBf16(b)).as("bf16 0x%04x", bits).isEqualTo(h);
      }
    }
  }

  @Test
  void halfWideningMatchesKnownValues() {
    assertThat(HalfFloats.halfToFloat((short) 0x3555)).isEqualTo(0.333251953125f);
    assertThat(HalfFloats.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
    assertThat(HalfFloats.halfToFloat((short) 0x03ff)).isEqualTo(0x1.ff8p-15f);
    assertThat(HalfFloats.halfToFloat((short) 0xfbff)).isEqualTo(-65504f);
    assertThat(HalfFloats.halfToFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
  }

  private static float bf16(float f) {
    return HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(f));
  }
}
