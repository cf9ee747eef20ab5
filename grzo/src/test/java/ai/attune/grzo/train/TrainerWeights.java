package ai.attune.grzo.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.safetensors.SafetensorsCheckpoint;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading and comparing the weights of written model folders (tests only). */
final class TrainerWeights {
  private TrainerWeights() {}

  /** Every tensor of {@code dir/model.safetensors} as floats, by name. */
  static Map<String, float[]> read(Path dir) {
    Map<String, float[]> out = new LinkedHashMap<>();
    try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(dir)) {
      for (String name : ckpt.names()) {
        out.put(name, ckpt.read(name).toFloats());
      }
    }
    return out;
  }

  /** Asserts the two folders hold the same tensor names with bit-identical values. */
  static void assertBitwiseEqual(Map<String, float[]> a, Map<String, float[]> b) {
    assertThat(a.keySet()).isEqualTo(b.keySet());
    for (String name : a.keySet()) {
      assertThat(Arrays.equals(a.get(name), b.get(name)))
          .as("%s bit-identical (max |diff| %s)", name, maxAbsDiff(a.get(name), b.get(name)))
          .isTrue();
    }
  }

  static double maxAbsDiff(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs((double) a[i] - b[i]));
    }
    return m;
  }

  /** The largest |a - b| over every tensor. */
  static double maxAbsDiff(Map<String, float[]> a, Map<String, float[]> b) {
    double m = 0;
    for (String name : a.keySet()) {
      m = Math.max(m, maxAbsDiff(a.get(name), b.get(name)));
    }
    return m;
  }

  /** How many tensors differ from those of {@code base} (the ones a run updated). */
  static long changed(Map<String, float[]> base, Map<String, float[]> trained) {
    return base.keySet().stream().filter(n -> !Arrays.equals(base.get(n), trained.get(n))).count();
  }
}
