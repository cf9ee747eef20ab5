package ai.attune.models.qwen2vl;

import ai.attune.core.config.ConfigException;
import ai.attune.core.config.JsonConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The settings of HF's Qwen2-VL image processor, validated; the defaults are HF's.
 *
 * @param patchSize side of a vision patch in pixels ({@code patch_size}, 14)
 * @param temporalPatchSize frames per patch ({@code temporal_patch_size}, 2); a still image is
 *     repeated this many times
 * @param mergeSize patches merged per side into one LLM token ({@code merge_size}, 2)
 * @param minPixels smallest resized area ({@code min_pixels} or {@code size.shortest_edge}, 56²)
 * @param maxPixels largest resized area ({@code max_pixels} or {@code size.longest_edge}, 28² ×
 *     1280); Qwen2.5-VL checkpoints ship 28² × 16384
 * @param imageMean per-channel mean subtracted after rescaling (CLIP's)
 * @param imageStd per-channel standard deviation divided by after subtracting the mean (CLIP's)
 * @param rescaleFactor factor applied to 0..255 values ({@code rescale_factor}, 1/255)
 */
public record Qwen2VlImageProcessorConfig(
    int patchSize,
    int temporalPatchSize,
    int mergeSize,
    int minPixels,
    int maxPixels,
    List<Double> imageMean,
    List<Double> imageStd,
    double rescaleFactor,
    boolean doResize,
    boolean doRescale,
    boolean doNormalize) {

  /** The file HF writes beside a checkpoint. */
  public static final String FILE_NAME = "preprocessor_config.json";

  /** OpenAI CLIP's mean, HF's default. */
  public static final List<Double> CLIP_MEAN = List.of(0.48145466, 0.4578275, 0.40821073);

  /** OpenAI CLIP's standard deviation, HF's default. */
  public static final List<Double> CLIP_STD = List.of(0.26862954, 0.26130258, 0.27577711);

  /** HF's defaults for {@code Qwen2VLImageProcessor}. */
  public static final Qwen2VlImageProcessorConfig DEFAULTS =
      new Qwen2VlImageProcessorConfig(
          14, 2, 2, 56 * 56, 28 * 28 * 1280, CLIP_MEAN, CLIP_STD, 1.0 / 255, true, true, true);

  /** PIL's resampling code for bicubic, the only one implemented. */
  private static final int PIL_BICUBIC = 3;

  public Qwen2VlImageProcessorConfig {
    imageMean = List.copyOf(imageMean);
    imageStd = List.copyOf(imageStd);
    require(
        patchSize > 0 && temporalPatchSize > 0 && mergeSize > 0,
        "patch_size, temporal_patch_size and merge_size must be positive");
    require(
        minPixels > 0 && minPixels <= maxPixels,
        "need 0 < min_pixels <= max_pixels, got " + minPixels + " and " + maxPixels);
    require(
        imageMean.size() == 3 && imageStd.size() == 3,
        "image_mean and image_std need 3 values (RGB)");
    require(imageStd.stream().allMatch(s -> s > 0), "image_std values must be positive");
    require(rescaleFactor > 0, "rescale_factor must be positive");
  }

  /** {@code patchSize * mergeSize}: resized sides are multiples of this (28). */
  public int factor() {
    return patchSize * mergeSize;
  }

  /**
   * The settings of {@code dir/preprocessor_config.json}, or {@link #DEFAULTS} when the folder has
   * none.
   */
  public static Qwen2VlImageProcessorConfig load(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    return Files.isRegularFile(file) ? from(JsonConfig.read(file)) : DEFAULTS;
  }

  /**
   * Reads the fields HF writes; absent ones take HF's defaults. The area bounds come from {@code
   * min_pixels}/{@code max_pixels} when present (they override {@code size}, as in HF), else from
   * {@code size.shortest_edge}/{@code size.longest_edge} (or the older {@code
   * size.min_pixels}/{@code size.max_pixels}).
   */
  public static Qwen2VlImageProcessorConfig from(JsonConfig c) {
    Qwen2VlImageProcessorConfig d = DEFAULTS;
    int resample = c.optInt("resample", PIL_BICUBIC);
    if (resample != PIL_BICUBIC) {
      throw ConfigException.forField(
          c.source(), "resample", "only bicubic (3) resampling is implemented, got " + resample);
    }
    Optional<JsonConfig> size = c.optObject("size");
    int min =
        c.optInt("min_pixels")
            .or(() -> sizeBound(size, "shortest_edge", "min_pixels"))
            .orElse(d.minPixels());
    int max =
        c.optInt("max_pixels")
            .or(() -> sizeBound(size, "longest_edge", "max_pixels"))
            .orElse(d.maxPixels());
    try {
      return new Qwen2VlImageProcessorConfig(
          c.optInt("patch_size", d.patchSize()),
          c.optInt("temporal_patch_size", d.temporalPatchSize()),
          c.optInt("merge_size", d.mergeSize()),
          min,
          max,
          doubles(c, "image_mean", d.imageMean()),
          doubles(c, "image_std", d.imageStd()),
          c.optDouble("rescale_factor", d.rescaleFactor()),
          c.optBoolean("do_resize", true),
          c.optBoolean("do_rescale", true),
          c.optBoolean("do_normalize", true));
    } catch (IllegalArgumentException e) {
      throw ConfigException.forSource(c.source(), e.getMessage(), e);
    }
  }

  private static Optional<Integer> sizeBound(Optional<JsonConfig> size, String key, String old) {
    return size.flatMap(s -> s.optInt(key).or(() -> s.optInt(old)));
  }

  private static List<Double> doubles(JsonConfig c, String field, List<Double> dflt) {
    return c.optDoubleArray(field).map(a -> Arrays.stream(a).boxed().toList()).orElse(dflt);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
