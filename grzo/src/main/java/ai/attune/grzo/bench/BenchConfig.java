package ai.attune.grzo.bench;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import java.nio.file.Path;
import java.util.List;

/**
 * The shape and settings of one {@code grzo bench} run: a random-weight model of architecture
 * {@code arch} (one of {@link #ARCHS}) with {@code hidden} width, {@code layers} layers and the
 * given vocabulary, a batch of {@code batch} sequences of {@code seq} tokens, {@code warmup}
 * untimed steps then {@code steps} timed ones per phase, for the {@code phases} asked for (any of
 * {@link #PHASES}; one phase per process gives each its own peak memory, as the PyTorch anchor
 * measures it). With a {@code profile} folder (null: none), one more step of each phase runs under
 * libtorch's profiler and its trace is written there ({@code --profile}).
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
    long seed,
    List<String> phases,
    Path profile) {

  /**
   * The architectures: {@code opt} (a causal LM scored by the next-token loss of random tokens) and
   * {@code roberta} (a masked LM scored at one mask slot of random prompts, as GRZO and MeZO
   * fine-tune RoBERTa-large).
   */
  public static final List<String> ARCHS = List.of("opt", "roberta");

  /**
   * Every phase, in the order they run: forward-only, MeZO, GRZO, GRZO fused, and the two GRZO
   * steps again with {@code cache_directions} ({@code grzo-cached}, {@code fused-cached}).
   */
  public static final List<String> PHASES =
      List.of("forward", "mezo", "grzo", "fused", "grzo-cached", "fused-cached");

  public BenchConfig {
    if (phases == null || phases.isEmpty()) {
      throw new IllegalArgumentException("--phases must name at least one of " + PHASES);
    }
    for (String p : phases) {
      if (!PHASES.contains(p)) {
        throw new IllegalArgumentException(
            "unknown --phases entry " + p + " (known: " + PHASES + ")");
      }
    }
    phases = PHASES.stream().filter(phases::contains).toList();
    if (!ARCHS.contains(arch)) {
      throw new IllegalArgumentException(
          "unsupported --arch " + arch + " (supported: " + ARCHS + ")");
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
    if (arch.equals("roberta") && (seq < 3 || vocab < 6)) {
      throw new IllegalArgumentException(
          "--arch roberta needs --seq >= 3 (<s>, the mask, </s>) and --vocab >= 6, got --seq "
              + seq
              + " and --vocab "
              + vocab);
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
