package ai.attune.models.qwen2vl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Bicubic resizing against Pillow 12.3 {@code Image.resize((w, h), Image.BICUBIC)} on a synthetic
 * 90x60 RGB image (R = (37x + 11y) mod 256, G = (x² + 3y) mod 256, B = 3(x xor y) mod 256): the
 * channel sums and four pixels of each output, as Pillow printed them.
 */
@Tag("pure")
class BicubicResamplerTest {
  private static final int W = 90;
  private static final int H = 60;

  private static float[] synthetic() {
    float[] img = new float[3 * H * W];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int i = y * W + x;
        img[i] = (x * 37 + y * 11) % 256;
        img[H * W + i] = (x * x + 3 * y) % 256;
        img[2 * H * W + i] = ((x ^ y) * 3) % 256;
      }
    }
    return img;
  }

  @Test
  void downscaleWithAntialiasMatchesPillow() {
    check(
        40,
        28,
        new long[] {142836, 140743, 114275},
        new int[][] {
          {0, 0, 32, 3, 2}, {7, 3, 184, 69, 62}, {39, 27, 57, 175, 43}, {20, 14, 182, 149, 136}
        });
  }

  @Test
  void upscaleMatchesPillow() {
    check(
        130,
        70,
        new long[] {1160811, 1143157, 928869},
        new int[][] {
          {0, 0, 0, 0, 0}, {7, 3, 200, 30, 22}, {129, 69, 104, 157, 38}, {65, 35, 196, 81, 153}
        });
  }

  @Test
  void oneAxisOnlyMatchesPillow() {
    check(
        90,
        30,
        new long[] {345455, 340135, 275706},
        new int[][] {
          {0, 0, 6, 2, 2}, {7, 3, 75, 69, 5}, {89, 29, 96, 160, 38}, {45, 15, 209, 69, 143}
        });
  }

  @Test
  void kernelIsKeysCubicWithAMinusHalf() {
    assertThat(BicubicResampler.cubic(0)).isEqualTo(1.0);
    assertThat(BicubicResampler.cubic(1)).isEqualTo(0.0);
    assertThat(BicubicResampler.cubic(0.5)).isCloseTo(0.5625, within(1e-12));
    assertThat(BicubicResampler.cubic(-1.5)).isCloseTo(-0.0625, within(1e-12));
    assertThat(BicubicResampler.cubic(2)).isEqualTo(0.0);
  }

  private static void check(int outW, int outH, long[] sums, int[][] pixels) {
    float[] out = BicubicResampler.resize(synthetic(), 3, H, W, outH, outW);
    int plane = outH * outW;
    long[] actual = new long[3];
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < plane; i++) {
        actual[c] += (long) out[c * plane + i];
      }
    }
    System.out.printf(
        "%dx%d sums %d %d %d (Pillow %d %d %d)%n",
        outW, outH, actual[0], actual[1], actual[2], sums[0], sums[1], sums[2]);
    // Exact, although Pillow's 22-bit fixed-point weights could round a rare tie differently.
    assertThat(actual).containsExactly(sums);
    for (int[] p : pixels) {
      for (int c = 0; c < 3; c++) {
        assertThat(out[c * plane + p[1] * outW + p[0]])
            .as("(%d, %d) channel %d", p[0], p[1], c)
            .isEqualTo((float) p[2 + c]);
      }
    }
  }
}
