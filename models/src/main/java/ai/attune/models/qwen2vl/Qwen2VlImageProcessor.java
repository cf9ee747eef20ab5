package ai.attune.models.qwen2vl;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Objects;

/**
 * HF's Qwen2-VL image processor in pure Java: resize to a multiple of {@code patch × merge} within
 * the area bounds ({@link #smartResize}), rescale and normalise, then cut into the flattened
 * patches the vision tower embeds.
 *
 * <p>Stateless after construction and safe to share between threads. {@link #process} works on any
 * {@link BufferedImage} (converted with {@link ImageLoader#toRgb}); {@link #process(Path)} reads a
 * PNG or JPEG first.
 */
public final class Qwen2VlImageProcessor {
  private static final int CHANNELS = 3;

  private final Qwen2VlImageProcessorConfig config;

  public Qwen2VlImageProcessor(Qwen2VlImageProcessorConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /** The processor a checkpoint folder describes ({@code preprocessor_config.json} or defaults). */
  public static Qwen2VlImageProcessor load(Path checkpointDir) {
    return new Qwen2VlImageProcessor(Qwen2VlImageProcessorConfig.load(checkpointDir));
  }

  public Qwen2VlImageProcessorConfig config() {
    return config;
  }

  /** {@link #smartResize(int, int, int, int, int)} with this processor's factor and bounds. */
  public int[] smartResize(int height, int width) {
    return smartResize(height, width, config.factor(), config.minPixels(), config.maxPixels());
  }

  /**
   * HF's {@code smart_resize}: the {@code {height, width}} closest to the input's that are
   * multiples of {@code factor}, with an area in {@code [minPixels, maxPixels]} and about the same
   * aspect ratio. Sides round to the nearest multiple (ties to even, as Python's {@code round}); an
   * area over the maximum is scaled down and floored (never below {@code factor}, as newer HF
   * versions guard), one under the minimum scaled up and ceiled.
   *
   * @throws IllegalArgumentException if a side is shorter than {@code factor} or the aspect ratio
   *     exceeds 200, as HF refuses
   */
  public static int[] smartResize(int height, int width, int factor, int minPixels, int maxPixels) {
    if (height < factor || width < factor) {
      throw new IllegalArgumentException(
          "image "
              + height
              + "x"
              + width
              + " (height x width) has a side shorter than the factor "
              + factor);
    }
    if ((double) Math.max(height, width) / Math.min(height, width) > 200) {
      throw new IllegalArgumentException(
          "image " + height + "x" + width + " has an aspect ratio over 200");
    }
    long hBar = (long) Math.rint((double) height / factor) * factor;
    long wBar = (long) Math.rint((double) width / factor) * factor;
    if (hBar * wBar > maxPixels) {
      double beta = Math.sqrt((double) height * width / maxPixels);
      hBar = Math.max(factor, (long) Math.floor(height / beta / factor) * factor);
      wBar = Math.max(factor, (long) Math.floor(width / beta / factor) * factor);
    } else if (hBar * wBar < minPixels) {
      double beta = Math.sqrt((double) minPixels / ((double) height * width));
      hBar = (long) Math.ceil(height * beta / factor) * factor;
      wBar = (long) Math.ceil(width * beta / factor) * factor;
    }
    return new int[] {Math.toIntExact(hBar), Math.toIntExact(wBar)};
  }

  /** Reads {@code file} with {@link ImageLoader#load} and processes it. */
  public ProcessedImage process(Path file) {
    return process(ImageLoader.load(file));
  }

  /** Resizes, normalises and patchifies one image. */
  public ProcessedImage process(BufferedImage image) {
    BufferedImage rgb = ImageLoader.toRgb(image);
    int h = rgb.getHeight();
    int w = rgb.getWidth();
    float[] planes = planes(rgb);
    if (config.doResize()) {
      int[] size = smartResize(h, w);
      planes = BicubicResampler.resize(planes, CHANNELS, h, w, size[0], size[1]);
      h = size[0];
      w = size[1];
    } else if (h % config.factor() != 0 || w % config.factor() != 0) {
      throw new IllegalArgumentException(
          "do_resize is off but the image "
              + h
              + "x"
              + w
              + " is not a multiple of "
              + config.factor());
    }
    normalize(planes, h * w);
    return patchify(planes, h, w);
  }

  /** The image as planar {@code [3, h, w]} floats in 0..255. */
  private static float[] planes(BufferedImage rgb) {
    int h = rgb.getHeight();
    int w = rgb.getWidth();
    int[] argb = rgb.getRGB(0, 0, w, h, null, 0, w);
    float[] out = new float[CHANNELS * h * w];
    int plane = h * w;
    for (int i = 0; i < plane; i++) {
      int p = argb[i];
      out[i] = (p >> 16) & 0xff;
      out[plane + i] = (p >> 8) & 0xff;
      out[2 * plane + i] = p & 0xff;
    }
    return out;
  }

  private void normalize(float[] planes, int plane) {
    double scale = config.doRescale() ? config.rescaleFactor() : 1.0;
    for (int c = 0; c < CHANNELS; c++) {
      double mean = config.doNormalize() ? config.imageMean().get(c) : 0.0;
      double std = config.doNormalize() ? config.imageStd().get(c) : 1.0;
      for (int i = c * plane; i < (c + 1) * plane; i++) {
        planes[i] = (float) ((planes[i] * scale - mean) / std);
      }
    }
  }

  /**
   * HF's reshape to {@code (t, T, C, gh/m, m, p, gw/m, m, p)}, transpose {@code (0, 3, 6, 4, 7, 2,
   * 1, 5, 8)} and flatten, for one frame repeated {@code T} times ({@code t = 1}).
   */
  private ProcessedImage patchify(float[] planes, int h, int w) {
    int p = config.patchSize();
    int m = config.mergeSize();
    int frames = config.temporalPatchSize();
    int gridH = h / p;
    int gridW = w / p;
    int rowLen = CHANNELS * frames * p * p;
    float[] out = new float[gridH * gridW * rowLen];
    int o = 0;
    for (int bh = 0; bh < gridH / m; bh++) {
      for (int bw = 0; bw < gridW / m; bw++) {
        for (int mh = 0; mh < m; mh++) {
          for (int mw = 0; mw < m; mw++) {
            int y0 = (bh * m + mh) * p;
            int x0 = (bw * m + mw) * p;
            for (int c = 0; c < CHANNELS; c++) {
              for (int t = 0; t < frames; t++) {
                for (int py = 0; py < p; py++) {
                  int src = (c * h + y0 + py) * w + x0;
                  System.arraycopy(planes, src, out, o, p);
                  o += p;
                }
              }
            }
          }
        }
      }
    }
    return new ProcessedImage(
        out, new long[] {(long) gridH * gridW, rowLen}, new long[] {1, gridH, gridW}, m);
  }
}
