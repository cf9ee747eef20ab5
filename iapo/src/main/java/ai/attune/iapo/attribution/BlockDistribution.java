package ai.attune.iapo.attribution;

import ai.attune.iapo.attribution.AttributionConfig.Normalization;
import ai.attune.models.qwen2vl.chat.BlockKind;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * A probability distribution over the input blocks present in one prompt, in {@link BlockKind}
 * order. A block absent from the prompt is absent from the map ({@link #get} gives 0 for it).
 *
 * <p>Two distributions over different block sets (a rollout whose prompt lacks tool outputs, or the
 * same prompt attributed by two models that agree on the blocks) are compared by {@link Divergence}
 * over the union of their blocks, each absent block counted as 0 before the epsilon smoothing.
 *
 * @param probabilities each block's probability: finite, >= 0, summing to 1 within 1e-9
 */
public record BlockDistribution(Map<BlockKind, Double> probabilities) {
  private static final double SUM_TOLERANCE = 1e-9;

  public BlockDistribution {
    if (probabilities.isEmpty()) {
      throw new IllegalArgumentException("a block distribution needs at least one block");
    }
    double sum = 0;
    for (Map.Entry<BlockKind, Double> e : probabilities.entrySet()) {
      double p = e.getValue();
      if (!(p >= 0) || !Double.isFinite(p)) {
        throw new IllegalArgumentException(
            "probability of block " + e.getKey() + " must be finite and >= 0, got " + p);
      }
      sum += p;
    }
    if (Math.abs(sum - 1) > SUM_TOLERANCE) {
      throw new IllegalArgumentException(
          "block probabilities sum to " + sum + ", not 1: " + probabilities);
    }
    probabilities = Collections.unmodifiableMap(new EnumMap<>(probabilities));
  }

  /**
   * The distribution the block sums {@code s_b} give under {@code n}: {@link Normalization#ABS_SUM}
   * |s_b| / Σ|s_c| (uniform when every sum is 0), {@link Normalization#SOFTMAX} exp(s_b − max) / Σ
   * exp(s_c − max).
   */
  public static BlockDistribution of(Map<BlockKind, Double> blockSums, Normalization n) {
    if (blockSums.isEmpty()) {
      throw new IllegalArgumentException(
          "no input block is present: the prompt's block spans"
              + " are empty or lie after the target");
    }
    Map<BlockKind, Double> weights = new EnumMap<>(BlockKind.class);
    double max = Double.NEGATIVE_INFINITY;
    for (double s : blockSums.values()) {
      if (!Double.isFinite(s)) {
        throw new IllegalArgumentException("block sums must be finite, got " + blockSums);
      }
      max = Math.max(max, s);
    }
    double total = 0;
    for (Map.Entry<BlockKind, Double> e : blockSums.entrySet()) {
      double s = e.getValue();
      double w = n == Normalization.ABS_SUM ? Math.abs(s) : Math.exp(s - max);
      weights.put(e.getKey(), w);
      total += w;
    }
    Map<BlockKind, Double> p = new EnumMap<>(BlockKind.class);
    for (Map.Entry<BlockKind, Double> e : weights.entrySet()) {
      p.put(e.getKey(), total > 0 ? e.getValue() / total : 1.0 / weights.size());
    }
    return new BlockDistribution(p);
  }

  /** The probability of {@code kind}; 0 when the block is absent. */
  public double get(BlockKind kind) {
    return probabilities.getOrDefault(kind, 0.0);
  }

  /** The blocks present, in {@link BlockKind} order. */
  public Set<BlockKind> kinds() {
    return probabilities.keySet();
  }
}
