package ai.attune.models;

import ai.attune.models.layers.KvCache;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A decoder language model built from an HF checkpoint folder.
 *
 * <p>Lifecycle: built and loaded by {@link Models#load} (parameters live in the model's own
 * manager), then used for any number of forward passes, each inside a per-step manager or scope of
 * the caller's (all activations and results belong to the manager of the input arrays), and closed
 * when done, which frees the parameters. A forward pass never modifies the parameters.
 */
public interface CausalLM extends LanguageModel {

  /**
   * Logits in float32 {@code [B, T, vocab]} for input embeddings {@code [B, T, D]}.
   *
   * @param attentionMask int64 {@code [B, past + T]}: 1 for tokens, 0 for padding, covering the
   *     cached positions too
   * @param cache the cache to read and extend, or null for a single full pass
   */
  NDArray forwardEmbeddings(NDArray inputsEmbeds, NDArray attentionMask, KvCache cache);

  /**
   * Logits for token ids: {@code forwardEmbeddings(embed(ids), mask, cache)}, after {@link
   * TokenInputs#check} has checked the ids and the mask.
   *
   * @throws InvalidInputException for ids or a mask the model cannot run on
   */
  default NDArray forward(NDArray inputIds, NDArray attentionMask, KvCache cache) {
    TokenInputs.check(this, inputIds, attentionMask);
    return forwardEmbeddings(embed(inputIds), attentionMask, cache);
  }

  /** An empty cache for one generation, owned by a sub-manager of {@code parent}. */
  default KvCache newCache(NDManager parent) {
    return new KvCache(parent, info().numLayers());
  }
}
