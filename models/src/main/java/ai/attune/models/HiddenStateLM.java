package ai.attune.models;

import ai.djl.ndarray.NDArray;

/**
 * A {@link SeparableHeadLM} that can also differentiate a loss of its hidden states layer by layer,
 * so that a policy loss which needs the next-token distribution at a few positions only (the policy
 * tokens of a rollout) computes logits there and nowhere else, and holds one layer's activations at
 * a time.
 *
 * <p>Lifecycle: as {@link CausalLM}; results belong to the manager of the input arrays.
 */
public interface HiddenStateLM extends SeparableHeadLM {

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
