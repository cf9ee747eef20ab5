package ai.attune.models.generation;

import java.util.List;

/**
 * What {@link Generator#generate} produced for a batch of B prompts of width T, with n the number
 * of decoding steps run (at most {@code maxNewTokens}; fewer when every row stopped early).
 *
 * <p>Row b's own new tokens are {@code sequences[b][T .. T + newTokens[b])}; after a stop token the
 * row holds the pad token. The log-probability arrays hold 0 at those padded steps. The arrays are
 * the caller's: nothing copies them.
 *
 * @param sequences int64 ids {@code [B][T + n]}: the left-padded prompt, then the new tokens
 * @param promptLength T, the padded prompt width
 * @param newTokens {@code [B]}: how many tokens row b generated, its stop token included
 * @param logprobs {@code [B][n]}: log-probability of each chosen token under the RAW model
 *     distribution, {@code log_softmax(logits)} with no temperature or filtering: the policy
 *     log-probability that RL objectives (ratios, KL) need; null unless requested
 * @param samplingLogprobs {@code [B][n]}: log-probability of each chosen token under the
 *     distribution it was actually drawn from (after temperature, top-k, top-p); 0 when greedy,
 *     whose distribution is a point mass; null unless requested
 * @param finishReasons {@code [B]}: why each row ended
 */
public record GenerationResult(
    long[][] sequences,
    int promptLength,
    int[] newTokens,
    float[][] logprobs,
    float[][] samplingLogprobs,
    List<FinishReason> finishReasons) {

  public GenerationResult {
    finishReasons = List.copyOf(finishReasons);
    if (newTokens.length != sequences.length || finishReasons.size() != sequences.length) {
      throw new IllegalArgumentException("sequences, newTokens and finishReasons differ in rows");
    }
  }

  /** Number of decoding steps run (the width of the new-token part). */
  public int steps() {
    return sequences.length == 0 ? 0 : sequences[0].length - promptLength;
  }

  /** Whether the log-probabilities were requested ({@code returnLogprobs}). */
  public boolean hasLogprobs() {
    return logprobs != null;
  }

  /** Raw-model log-probabilities {@code [B][n]}; fails if they were not requested. */
  @Override
  public float[][] logprobs() {
    requireLogprobs();
    return logprobs;
  }

  /** Sampling-distribution log-probabilities {@code [B][n]}; fails if not requested. */
  @Override
  public float[][] samplingLogprobs() {
    requireLogprobs();
    return samplingLogprobs;
  }

  private void requireLogprobs() {
    if (logprobs == null) {
      throw new IllegalStateException(
          "log-probabilities were not requested: set returnLogprobs in GenerationConfig");
    }
  }

  /** Row b's new tokens only (its stop token included, padding excluded). */
  public long[] newTokensOf(int b) {
    return java.util.Arrays.copyOfRange(sequences[b], promptLength, promptLength + newTokens[b]);
  }
}
