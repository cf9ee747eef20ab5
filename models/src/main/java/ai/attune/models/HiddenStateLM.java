package ai.attune.models;

import ai.attune.models.layers.KvCache;
import ai.djl.ndarray.NDArray;

/**
 * A {@link CausalLM} whose output head can be applied apart from the decoder, so that a loss which
 * needs the next-token distribution at a few positions only (the policy tokens of a rollout)
 * computes logits there and nowhere else: {@code forward(x) == headLogits( forwardHidden(x))}
 * position by position, but {@code headLogits(gathered rows)} costs {@code rows × vocab} instead of
 * {@code B × T × vocab}.
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

  /**
   * Backward of {@code lossOfHidden(forwardHidden(inputsEmbeds))} with per-layer activation
   * recomputation: a first pass without autograd keeps only each decoder layer's input; then the
   * loss is differentiated with respect to the last hidden states, and each layer, from the last to
   * the first, is run again under autograd on its saved input and differentiated with the gradient
   * coming from above ({@code backward(Σ layer(x) · g)}). Peak activation memory is one layer's
   * plus every layer's input instead of every layer's activations, for one more forward pass.
   * Gradients of parameters that require one accumulate as with a plain backward.
   *
   * <p>Call outside any {@code GradientCollector} (this opens one per layer). The embeddings are
   * not differentiated through: the returned gradient lets the caller finish the backward into
   * whatever produced them ({@code backward(Σ embed(ids) · g)}).
   *
   * @param lossOfHidden the scalar loss of hidden states {@code [B, T, hidden]}, built with {@link
   *     #headLogits}; it runs once, under autograd
   * @return d loss / d inputsEmbeds, {@code [B, T, hidden]} in the compute type
   */
  NDArray backwardRecomputing(
      NDArray inputsEmbeds,
      NDArray attentionMask,
      java.util.function.Function<NDArray, NDArray> lossOfHidden);
}
