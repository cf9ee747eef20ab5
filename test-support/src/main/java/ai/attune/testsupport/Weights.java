package ai.attune.testsupport;

import java.util.Arrays;
import java.util.Map;

/**
 * Comparing two sets of model weights by name (read with {@code SafetensorsCheckpoint.readFloats}):
 * the one place tests measure how far a trained, replayed or resumed model is from another.
 */
public final class Weights {
  private Weights() {}

  /** The largest |a - b| of two tensors of the same length. */
  public static double maxAbsDiff(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "tensors of different sizes: " + a.length + " and " + b.length);
    }
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs((double) a[i] - b[i]));
    }
    return m;
  }

  /**
   * The largest |a - b| over the tensors of {@code b}, which {@code a} must all hold; fails when
   * {@code b} is empty (a comparison of nothing proves nothing).
   */
  public static double maxAbsDiff(Map<String, float[]> a, Map<String, float[]> b) {
    if (b.isEmpty()) {
      throw new IllegalArgumentException("no tensors to compare");
    }
    double m = 0;
    for (Map.Entry<String, float[]> e : b.entrySet()) {
      float[] x = a.get(e.getKey());
      if (x == null) {
        throw new IllegalArgumentException("tensor " + e.getKey() + " is missing on one side");
      }
      m = Math.max(m, maxAbsDiff(x, e.getValue()));
    }
    return m;
  }

  /** How many tensors of {@code base} differ bitwise in {@code other} (the ones a run updated). */
  public static long differing(Map<String, float[]> base, Map<String, float[]> other) {
    return base.keySet().stream().filter(n -> !Arrays.equals(base.get(n), other.get(n))).count();
  }
}
