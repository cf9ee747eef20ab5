package ai.attune.iapo.attribution;

import ai.attune.models.qwen2vl.chat.BlockKind;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One model's attribution of one rollout's target to its input blocks.
 *
 * @param tokenScores the signed score of every token of the attributed sequence (the prompt and the
 *     response up to the last target token), summed over the hidden axis: integrated gradients or
 *     gradient×input as computed, before any absolute value
 * @param blockScores per block present, the sum of its tokens' scores as the config says (absolute
 *     values by default, or signed), in {@link BlockKind} order
 * @param distribution the block scores normalised to a distribution over the same blocks
 * @param targetLogProb the target at the input: Σ log p(target token | everything before it)
 */
public record AttributionResult(
    float[] tokenScores,
    Map<BlockKind, Double> blockScores,
    BlockDistribution distribution,
    double targetLogProb) {

  public AttributionResult {
    if (!blockScores.keySet().equals(distribution.kinds())) {
      throw new IllegalArgumentException(
          "block scores cover "
              + blockScores.keySet()
              + " but the distribution covers "
              + distribution.kinds());
    }
    tokenScores = tokenScores.clone();
    blockScores = Collections.unmodifiableMap(new EnumMap<>(blockScores));
  }

  /** A copy of the token scores. */
  @Override
  public float[] tokenScores() {
    return tokenScores.clone();
  }

  /** The number of attributed tokens. */
  public int length() {
    return tokenScores.length;
  }

  @Override
  public String toString() {
    return "AttributionResult["
        + tokenScores.length
        + " tokens, blockScores="
        + blockScores
        + ", distribution="
        + distribution.probabilities()
        + ", targetLogProb="
        + targetLogProb
        + "]";
  }
}
