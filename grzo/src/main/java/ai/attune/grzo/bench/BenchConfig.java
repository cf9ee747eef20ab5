package ai.attune.grzo.bench;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;

/**
 * The shape and settings of one {@code grzo bench} run: a random-weight model of architecture
 * {@code arch} ({@code opt}) with {@code hidden} width, {@code layers} decoder layers and the given
 * vocabulary, a batch of {@code batch} sequences of {@code seq} tokens, {@code warmup} untimed
 * steps then {@code steps} timed ones per phase.
 */
public record BenchConfig(
    String arch,
    int hidden,
    int layers,
    int heads,
    int vocab,
    int batch,
    int seq,
    int warmup,
    int steps,
    DevicePolicy device,
    ComputeDtype dtype,
    long seed) {

  public BenchConfig {
    if (!arch.equals("opt")) {
      throw new IllegalArgumentException("unsupported --arch " + arch + " (supported: opt)");
    }
    requirePositive("hidden", hidden);
    requirePositive("layers", layers);
    requirePositive("heads", heads);
    requirePositive("vocab", vocab);
    requirePositive("batch", batch);
    requirePositive("seq", seq);
    requirePositive("steps", steps);
    if (warmup < 0) {
      throw new IllegalArgumentException("--warmup must be >= 0");
    }
    if (hidden % heads != 0) {
      throw new IllegalArgumentException(
          "--hidden " + hidden + " is not a multiple of --heads " + heads);
    }
  }

  private static void requirePositive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException("--" + name + " must be >= 1, got " + value);
    }
  }
}
