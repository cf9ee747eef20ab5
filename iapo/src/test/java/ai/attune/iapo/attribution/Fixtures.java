package ai.attune.iapo.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.safetensors.SafetensorsCheckpoint;
import ai.attune.models.qwen2vl.ProcessedImage;
import ai.attune.testsupport.FixturePaths;
import java.nio.file.Path;
import java.util.Arrays;

/** The HF fixtures under {@code src-test-data/} and the comparisons the tests make on them. */
final class Fixtures {
  static final String VL = "qwen2_5_vl-tiny";

  private Fixtures() {}

  /** The folder {@code name} under {@code src-test-data/}. */
  static Path dir(String name) {
    return FixturePaths.of(name);
  }

  /** A float tensor of {@code model/file}. */
  static float[] floats(String model, String file, String tensor) {
    try (SafetensorsCheckpoint ref = SafetensorsCheckpoint.open(dir(model).resolve(file))) {
      return ref.read(tensor).toFloats();
    }
  }

  /** An integer tensor of {@code model/file}. */
  static long[] longs(String model, String file, String tensor) {
    try (SafetensorsCheckpoint ref = SafetensorsCheckpoint.open(dir(model).resolve(file))) {
      return ref.read(tensor).toLongs();
    }
  }

  /** The VL fixture's image as HF processed it: 48 patches on a 6 × 8 grid, 12 image tokens. */
  static ProcessedImage vlImage() {
    float[] pixels = floats(VL, "reference.safetensors", "pixel_values");
    return new ProcessedImage(pixels, new long[] {48, 1176}, new long[] {1, 6, 8}, 2);
  }

  /**
   * |got − want| <= 1e-4 |want| + 1e-7 for every element; returns the largest relative error |got −
   * want| / max(|want|, 1e-6) for the report.
   */
  static double assertRelativelyClose(float[] got, float[] want) {
    assertThat(got).hasSameSizeAs(want);
    double worst = 0;
    for (int i = 0; i < want.length; i++) {
      double diff = Math.abs((double) got[i] - want[i]);
      assertThat(diff)
          .as("token %d: %s vs %s", i, Arrays.toString(got), Arrays.toString(want))
          .isLessThanOrEqualTo(1e-4 * Math.abs(want[i]) + 1e-7);
      worst = Math.max(worst, diff / Math.max(Math.abs(want[i]), 1e-6));
    }
    return worst;
  }

  static double maxAbsDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs((double) a[i] - b[i]));
    }
    return max;
  }

  static double sum(java.util.Collection<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).sum();
  }
}
