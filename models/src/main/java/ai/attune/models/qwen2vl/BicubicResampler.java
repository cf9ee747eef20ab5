package ai.attune.models.qwen2vl;

/**
 * Bicubic resizing of planar 8-bit images held as floats, with the semantics of Pillow's {@code
 * Image.resize(size, BICUBIC)}, which HF's image processors use (torchvision's antialiased bicubic
 * on uint8 tensors computes the same filter).
 *
 * <p>Pillow's filter is Keys' cubic with {@code a = -0.5} and support 2. When a side shrinks by a
 * factor {@code s > 1} the kernel is stretched by {@code s} (support {@code 2s}, arguments divided
 * by {@code s}): an antialiasing low-pass, so downscaled images do not alias. The two passes are
 * separable, horizontal first, and like Pillow each pass rounds its result to an integer in [0,
 * 255] (Pillow works on 8-bit images); a side whose size does not change is not resampled. Input
 * values are expected in [0, 255].
 */
final class BicubicResampler {
  private static final double A = -0.5;
  private static final double SUPPORT = 2.0;

  private BicubicResampler() {}

  /**
   * Resizes a planar image {@code [channels, inH, inW]} to {@code [channels, outH, outW]}.
   *
   * @return a new array; {@code src} itself when the size does not change
   */
  static float[] resize(float[] src, int channels, int inH, int inW, int outH, int outW) {
    if (src.length != (long) channels * inH * inW) {
      throw new IllegalArgumentException(
          "expected " + channels + "x" + inH + "x" + inW + " values, got " + src.length);
    }
    if (outH <= 0 || outW <= 0) {
      throw new IllegalArgumentException("output size must be positive: " + outH + "x" + outW);
    }
    float[] img = src;
    if (outW != inW) {
      img = horizontal(img, channels, inH, inW, Kernel.of(inW, outW));
    }
    if (outH != inH) {
      img = vertical(img, channels, inH, outW, Kernel.of(inH, outH));
    }
    return img;
  }

  private static float[] horizontal(float[] src, int channels, int h, int inW, Kernel k) {
    int outW = k.outSize();
    float[] out = new float[channels * h * outW];
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < h; y++) {
        int rowIn = (c * h + y) * inW;
        int rowOut = (c * h + y) * outW;
        for (int x = 0; x < outW; x++) {
          double sum = 0;
          int first = k.first[x];
          double[] w = k.weights[x];
          for (int i = 0; i < w.length; i++) {
            sum += w[i] * src[rowIn + first + i];
          }
          out[rowOut + x] = clip8(sum);
        }
      }
    }
    return out;
  }

  private static float[] vertical(float[] src, int channels, int inH, int w, Kernel k) {
    int outH = k.outSize();
    float[] out = new float[channels * outH * w];
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < outH; y++) {
        int first = k.first[y];
        double[] wy = k.weights[y];
        int rowOut = (c * outH + y) * w;
        for (int x = 0; x < w; x++) {
          double sum = 0;
          for (int i = 0; i < wy.length; i++) {
            sum += wy[i] * src[(c * inH + first + i) * w + x];
          }
          out[rowOut + x] = clip8(sum);
        }
      }
    }
    return out;
  }

  /** Rounds half up and clamps to [0, 255], as Pillow's 8-bit passes do. */
  private static float clip8(double v) {
    double r = Math.floor(v + 0.5);
    return (float) Math.max(0, Math.min(255, r));
  }

  static double cubic(double x) {
    x = Math.abs(x);
    if (x < 1.0) {
      return ((A + 2.0) * x - (A + 3.0)) * x * x + 1;
    }
    if (x < 2.0) {
      return (((x - 5) * x + 8) * x - 4) * A;
    }
    return 0.0;
  }

  /** For each output index, the first input index and the normalised weights that follow it. */
  private record Kernel(int[] first, double[][] weights) {
    int outSize() {
      return first.length;
    }

    static Kernel of(int inSize, int outSize) {
      double scale = (double) inSize / outSize;
      double filterScale = Math.max(scale, 1.0);
      double support = SUPPORT * filterScale;
      int[] first = new int[outSize];
      double[][] weights = new double[outSize][];
      for (int o = 0; o < outSize; o++) {
        double center = (o + 0.5) * scale;
        int lo = Math.max(0, (int) (center - support + 0.5));
        int hi = Math.min(inSize, (int) (center + support + 0.5));
        double[] w = new double[hi - lo];
        double total = 0;
        for (int i = 0; i < w.length; i++) {
          w[i] = cubic((i + lo - center + 0.5) / filterScale);
          total += w[i];
        }
        if (total != 0) {
          for (int i = 0; i < w.length; i++) {
            w[i] /= total;
          }
        }
        first[o] = lo;
        weights[o] = w;
      }
      return new Kernel(first, weights);
    }
  }
}
