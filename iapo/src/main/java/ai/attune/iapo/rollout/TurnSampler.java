package ai.attune.iapo.rollout;

import ai.attune.models.CausalLM;
import ai.attune.models.generation.GenerationConfig;
import ai.attune.models.generation.GenerationResult;
import ai.attune.models.generation.Generator;
import ai.djl.ndarray.NDArray;

/**
 * Produces one assistant turn for every row of a prompt batch that holds each rollout's whole
 * sequence so far ({@link RepromptTurns}; a {@link RolloutRunner} built without a sampler keeps the
 * KV cache across turns instead). {@link #generator()} is seeded sampling with a KV cache within
 * the turn; another implementation (an external engine, a scripted policy in tests) must honour the
 * contract of {@link Generator#generate}: rows end on a stop token (kept) or at {@code
 * maxNewTokens}, and {@link GenerationResult#logprobs()} holds the raw log-probability the model
 * gives each new token.
 */
@FunctionalInterface
public interface TurnSampler {

  /**
   * @param model the model bound to this batch's images
   * @param inputIds int64 {@code [B, T]}, left-padded
   * @param attentionMask {@code [B, T]}
   * @param config limits, sampling, stop tokens, seed; {@code returnLogprobs} is set
   */
  GenerationResult sample(
      CausalLM model, NDArray inputIds, NDArray attentionMask, GenerationConfig config);

  /** Sampling with {@link Generator}. */
  static TurnSampler generator() {
    return (model, ids, mask, config) -> new Generator(model).generate(ids, mask, config);
  }
}
