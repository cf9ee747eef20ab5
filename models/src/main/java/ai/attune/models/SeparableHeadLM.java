package ai.attune.models;

import ai.attune.models.layers.KvCache;
import ai.djl.ndarray.NDArray;

/**
 * A {@link CausalLM} whose output head can be applied apart from the decoder: {@code
 * forwardEmbeddings(x) == headLogits(forwardHidden(x))} position by position. A loss that needs the
 * next-token distribution at a few positions only computes logits there ({@code rows × vocab}
 * instead of {@code B × T × vocab}), and a loss over every position can apply the head to a block
 * of rows at a time, so that the whole {@code [B, T, vocab]} array never exists ({@link
 * LanguageModelLoss#perExample(SeparableHeadLM, NDArray, NDArray, NDArray)}).
 *
 * <p>Lifecycle: as {@link CausalLM}; results belong to the manager of the input arrays.
 */
public interface SeparableHeadLM extends CausalLM {

  /**
   * The decoder's last hidden states, just before the output head (after the final norm and any
   * output projection), {@code [B, T, hidden]} in the compute type, for input embeddings {@code [B,
   * T, D]} (the arguments of {@link #forwardEmbeddings}).
   */
  NDArray forwardHidden(NDArray inputsEmbeds, NDArray attentionMask, KvCache cache);

  /**
   * float32 logits {@code [..., vocab]} of hidden states {@code [..., hidden]} that {@link
   * #forwardHidden} returned (any rows of them, in any shape with the hidden size last).
   */
  NDArray headLogits(NDArray hidden);
}
