package ai.attune.models;

import ai.djl.ndarray.NDArray;

/**
 * A bidirectional encoder with a masked-language-model head, built from an HF checkpoint folder
 * (RoBERTa): every position sees every unpadded token and predicts the token at that position.
 *
 * <p>Lifecycle: built and loaded by {@link Models#loadMasked} (parameters live in the model's own
 * manager), then used for any number of forward passes, each inside a per-step manager or scope of
 * the caller's (all activations and results belong to the manager of the input arrays), and closed
 * when done, which frees the parameters. A forward pass never modifies the parameters. There is no
 * cache and no generation.
 */
public interface MaskedLM extends LanguageModel {

  /**
   * Logits in float32 {@code [B, T, vocab]} for input embeddings {@code [B, T, D]}.
   *
   * @param inputsEmbeds the word embeddings, as {@link #embed} gives them (or perturbed)
   * @param inputIds int64 {@code [B, T]}: the ids the embeddings stand for; the position ids come
   *     from them (padding ids get the padding position, as in HF)
   * @param attentionMask int64 {@code [B, T]}: 1 for tokens, 0 for padding keys
   */
  NDArray forwardEmbeddings(NDArray inputsEmbeds, NDArray inputIds, NDArray attentionMask);

  /**
   * Logits for token ids: {@code forwardEmbeddings(embed(ids), ids, mask)}, after {@link
   * TokenInputs#check} has checked the ids and the mask.
   *
   * @throws InvalidInputException for ids or a mask the model cannot run on
   */
  default NDArray forward(NDArray inputIds, NDArray attentionMask) {
    TokenInputs.check(this, inputIds, attentionMask);
    return forwardEmbeddings(embed(inputIds), inputIds, attentionMask);
  }
}
