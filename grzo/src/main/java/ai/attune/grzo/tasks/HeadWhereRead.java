package ai.attune.grzo.tasks;

import ai.attune.models.LanguageModel;
import ai.attune.models.TokenInputs;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * The {@link Forward} of a model with a separable output head: the decoder (or encoder) runs on
 * every position, the head only where the logits are read. {@link #logits(NDArray, NDArray)} runs
 * it everywhere and equals the model's own forward bit for bit.
 */
final class HeadWhereRead implements Forward {
  private final LanguageModel model;
  private final BinaryOperator<NDArray> hidden;
  private final UnaryOperator<NDArray> head;

  /**
   * @param model the model, whose ids and mask {@link TokenInputs#check} checks before each pass
   * @param hidden the last hidden states {@code [R, T, D]} of ids and mask
   * @param head float32 logits {@code [..., vocab]} of hidden states {@code [..., D]}
   */
  HeadWhereRead(LanguageModel model, BinaryOperator<NDArray> hidden, UnaryOperator<NDArray> head) {
    this.model = model;
    this.hidden = hidden;
    this.head = head;
  }

  @Override
  public NDArray logits(NDArray inputIds, NDArray attentionMask) {
    return head.apply(hidden(inputIds, attentionMask));
  }

  @Override
  public NDArray logits(NDArray inputIds, NDArray attentionMask, long from, long to) {
    return head.apply(hidden(inputIds, attentionMask).get(":, " + from + ":" + to + ", :"));
  }

  @Override
  public NDArray logitsAt(NDArray inputIds, NDArray attentionMask, NDArray positions) {
    NDArray h = atPositions(hidden(inputIds, attentionMask), positions);
    return head.apply(h.expandDims(1)).squeeze(1);
  }

  /** The rows of {@code x [R, T, D]} at one position each, {@code [R, D]}. */
  static NDArray atPositions(NDArray x, NDArray positions) {
    long r = x.getShape().get(0);
    long d = x.getShape().get(2);
    NDArray at = positions.reshape(r, 1, 1).broadcast(new Shape(r, 1, d));
    return x.gather(at, 1).squeeze(1);
  }

  private NDArray hidden(NDArray inputIds, NDArray attentionMask) {
    TokenInputs.check(model, inputIds, attentionMask);
    return hidden.apply(inputIds, attentionMask);
  }
}
