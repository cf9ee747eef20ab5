package ai.attune.models;

import ai.djl.ndarray.NDArray;

/**
 * A {@link MaskedLM} whose MLM head can be applied apart from the encoder: {@code
 * forwardEmbeddings(x) == headLogits(forwardHidden(x))} position by position. A loss that reads the
 * logits at the mask positions only runs the head there ({@code rows × vocab} instead of {@code B ×
 * T × vocab}).
 *
 * <p>Lifecycle: as {@link MaskedLM}; results belong to the manager of the input arrays.
 */
public interface SeparableHeadMaskedLM extends MaskedLM {

  /**
   * The encoder's last hidden states, {@code [B, T, hidden]} in the compute type, for the arguments
   * of {@link #forwardEmbeddings}.
   */
  NDArray forwardHidden(NDArray inputsEmbeds, NDArray inputIds, NDArray attentionMask);

  /**
   * float32 logits {@code [..., vocab]} of hidden states {@code [..., hidden]} that {@link
   * #forwardHidden} returned (any rows of them, in any shape with the hidden size last, the first
   * axis still the batch's rows).
   */
  NDArray headLogits(NDArray hidden);
}
