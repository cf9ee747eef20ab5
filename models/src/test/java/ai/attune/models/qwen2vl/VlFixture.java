package ai.attune.models.qwen2vl;

import ai.attune.core.safetensors.SafetensorsCheckpoint;
import ai.attune.models.TestData;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;

/**
 * The qwen2_5_vl-tiny fixture: {@code reference.safetensors} (HF called without {@code
 * mm_token_type_ids}, so with plain text positions) and {@code reference_mrope.safetensors} (the
 * same model with the multimodal positions; written by
 * src-test-data/generators/gen_qwen2_5_vl_mrope.py).
 */
final class VlFixture {
  static final String MODEL = "qwen2_5_vl-tiny";
  static final long[][] GRID = {{1, 6, 8}};

  private VlFixture() {}

  static Path dir() {
    return TestData.dir(MODEL);
  }

  static NDArray pixels(NDManager m) {
    return m.create(TestData.referenceFloats(MODEL, "pixel_values")).reshape(48, 1176);
  }

  static NDArray ids(NDManager m) {
    return m.create(TestData.referenceLongs(MODEL, "input_ids")).reshape(1, 21);
  }

  static float[] mropeFloats(String tensor) {
    try (SafetensorsCheckpoint ref =
        SafetensorsCheckpoint.open(dir().resolve("reference_mrope.safetensors"))) {
      return ref.read(tensor).toFloats();
    }
  }

  static long[] mropeLongs(String tensor) {
    try (SafetensorsCheckpoint ref =
        SafetensorsCheckpoint.open(dir().resolve("reference_mrope.safetensors"))) {
      return ref.read(tensor).toLongs();
    }
  }

  static void report(String what, double diff) {
    System.out.printf("%s %s: max abs diff %.3g%n", MODEL, what, diff);
  }
}
