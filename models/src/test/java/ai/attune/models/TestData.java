package ai.attune.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.safetensors.SafetensorsCheckpoint;
import ai.attune.models.generation.GenerationConfig;
import ai.attune.models.generation.Generator;
import ai.attune.testsupport.FixturePaths;
import ai.djl.ndarray.NDArray;
import java.nio.file.Path;
import java.util.Arrays;

/** Locates {@code src-test-data/} and reads reference tensors from it. */
public final class TestData {
  private TestData() {}

  /** The folder {@code name} under {@code src-test-data/}. */
  public static Path dir(String name) {
    return FixturePaths.of(name);
  }

  /** A float tensor of {@code model/reference.safetensors}, as float32 values. */
  public static float[] referenceFloats(String model, String tensor) {
    try (SafetensorsCheckpoint ref =
        SafetensorsCheckpoint.open(dir(model).resolve("reference.safetensors"))) {
      return ref.read(tensor).toFloats();
    }
  }

  /** An integer tensor of {@code model/reference.safetensors}. */
  public static long[] referenceLongs(String model, String tensor) {
    try (SafetensorsCheckpoint ref =
        SafetensorsCheckpoint.open(dir(model).resolve("reference.safetensors"))) {
      return ref.read(tensor).toLongs();
    }
  }

  /** Greedy generation of {@code n} tokens: every row's sequence (prompt + new), concatenated. */
  public static long[] greedy(CausalLM model, NDArray ids, NDArray mask, int n) {
    long[][] rows =
        new Generator(model).generate(ids, mask, GenerationConfig.greedy(n)).sequences();
    return Arrays.stream(rows).flatMapToLong(Arrays::stream).toArray();
  }

  /** The largest absolute difference between two arrays of equal length. */
  public static double maxAbsDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs((double) a[i] - b[i]));
    }
    return max;
  }
}
