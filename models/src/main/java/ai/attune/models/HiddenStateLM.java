package ai.attune.models;

import ai.attune.models.layers.KvCache;
import ai.djl.ndarray.NDArray;

/**
 * A {@link CausalLM} whose output head can be applied apart from the decoder, so that a loss
 * which needs the next-token distribution at a few positions only (the policy tokens of a
 * rollout) computes logits there and nowhere else: {@code forward(x) == headLogits(
 * forwardHidden(x))} position by position, but {@code headLogits(gathered rows)} costs {@code
 * rows × vocab} instead of {@code B × T × vocab}.
 *
 * <p>Lifecycle: as {@link CausalLM}; results belong to the manager of the input arrays.
 */
public interface HiddenStateLM extends CausalLM {

  /**
   * The decoder's last hidden states after the final norm, {@code [B, T, hidden]} in the compute
   * type, for input embeddings {@code [B, T, hidden]} (the arguments of {@link
   * #forwardEmbeddings}).
   */
  NDArray forwardHidden(NDArray inputsEmbeds, NDArray attentionMask, KvCache cache);

  /**
   * float32 logits {@code [..., vocab]} of hidden states {@code [..., hidden]} that {@link
   * #forwardHidden} returned (any rows of them, in any shape with the hidden size last).
   */
  NDArray headLogits(NDArray hidden);
}
