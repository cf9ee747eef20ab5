package ai.attune.grzo.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.safetensors.SafetensorsCheckpoint;
import ai.attune.testsupport.Weights;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** Reading and comparing the weights of written model folders (tests only). */
final class TrainerWeights {
  private TrainerWeights() {}

  /** Every tensor of {@code dir/model.safetensors} as floats, by name. */
  static Map<String, float[]> read(Path dir) {
    return SafetensorsCheckpoint.readFloats(dir);
  }

  /** Asserts the two folders hold the same tensor names with bit-identical values. */
  static void assertBitwiseEqual(Map<String, float[]> a, Map<String, float[]> b) {
    assertThat(a.keySet()).isEqualTo(b.keySet());
    for (String name : a.keySet()) {
      assertThat(Arrays.equals(a.get(name), b.get(name)))
          .as(
              "%s bit-identical (max |diff| %s)",
              name, Weights.maxAbsDiff(a.get(name), b.get(name)))
          .isTrue();
    }
  }

  /** The largest |a - b| over every tensor. */
  static double maxAbsDiff(Map<String, float[]> a, Map<String, float[]> b) {
    return Weights.maxAbsDiff(a, b);
  }

  /** How many tensors differ from those of {@code base} (the ones a run updated). */
  static long changed(Map<String, float[]> base, Map<String, float[]> trained) {
    return Weights.differing(base, trained);
  }
}
