package ai.attune.core.safetensors;

/**
 * Bit conversions between float32 and the two 16-bit float formats, IEEE half (F16) and bfloat16.
 *
 * <p>Narrowing rounds to nearest, ties to even, as PyTorch's {@code .to(torch.float16)} and {@code
 * .to(torch.bfloat16)} do; NaN stays NaN and values past the range become infinities. Widening is
 * exact. (Java 17 has no {@code Float.float16ToFloat}; that arrived in Java 20.)
 */
public final class HalfFloats {
  private HalfFloats() {}

  /** The float32 value of bfloat16 bits: the bits are the top half of a float32. */
  public static float bf16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }

  /** Rounds a float32 to the nearest bfloat16 (ties to even). */
  public static short floatToBf16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if ((bits & 0x7fffffff) > 0x7f800000) {
      return (short) ((bits >>> 16) | 0x40); // keep NaN a (quiet) NaN
    }
    int roundingBias = 0x7fff + ((bits >>> 16) & 1);
    return (short) ((bits + roundingBias) >>> 16);
  }

  /** The float32 value of IEEE half-precision bits. */
  public static float halfToFloat(short bits) {
    int h = bits & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      float sub = mant * 0x1p-24f; // subnormal (or zero): exact in float32
      return sign == 0 ? sub : -sub;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /** Rounds a float32 to the nearest IEEE half (ties to even); overflow gives infinity. */
  public static short floatToHalf(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int abs = bits & 0x7fffffff;
    if (abs >= 0x7f800000) { // infinity or NaN
      int payload = abs > 0x7f800000 ? 0x200 | ((abs >>> 13) & 0x3ff) : 0;
      return (short) (sign | 0x7c00 | payload);
    }
    if (abs >= 0x477ff000) { // 65520 and up round past the largest half, 65504
      return (short) (sign | 0x7c00);
    }
    if (abs < 0x38800000) { // below 2^-14: a half subnormal or zero
      return (short) (sign | subnormalHalf(abs));
    }
    int h = ((((abs >>> 23) - 112)) << 10) | ((abs & 0x7fffff) >>> 13);
    return (short) (sign | roundToEven(h, abs & 0x1fff, 0x1000));
  }

  private static int subnormalHalf(int abs) {
    int exp = abs >>> 23;
    if (exp < 102) { // below 2^-25: rounds to zero
      return 0;
    }
    int mant = (abs & 0x7fffff) | 0x800000;
    int shift = 126 - exp; // value / 2^-24 = mant * 2^(exp - 126)
    return roundToEven(mant >>> shift, mant & ((1 << shift) - 1), 1 << (shift - 1));
  }

  private static int roundToEven(int truncated, int remainder, int halfway) {
    if (remainder > halfway || (remainder == halfway && (truncated & 1) == 1)) {
      return truncated + 1;
    }
    return truncated;
  }
}
