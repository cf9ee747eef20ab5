package ai.attune.grzo.tasks;

import ai.djl.ndarray.NDArray;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * The {@link Forward} of a model with a separable output head: the decoder (or encoder) runs on
 * every position, the head only where the logits are read. {@link #logits(NDArray, NDArray)} runs
 * it everywhere and equals the model's own forward bit for bit.
 */
final class HeadWhereRead implements Forward {
  private final BinaryOperator<NDArray> hidden;
  private final UnaryOperator<NDArray> head;

  /**
   * @param hidden the last hidden states {@code [R, T, D]} of ids and mask
   * @param head float32 logits {@code [..., vocab]} of hidden states {@code [..., D]}
   */
  HeadWhereRead(BinaryOperator<NDArray> hidden, UnaryOperator<NDArray> head) {
    this.hidden = hidden;
    this.head = head;
  }

  @Override
  public NDArray logits(NDArray inputIds, NDArray attentionMask) {
    return head.apply(hidden.apply(inputIds, attentionMask));
  }

  @Override
  public NDArray logits(NDArray inputIds, NDArray attentionMask, long from, long to) {
    NDArray h = hidden.apply(inputIds, attentionMask);
    return head.apply(h.get(":, " + from + ":" + to + ", :"));
  }

  @Override
  public NDArray logitsAt(NDArray inputIds, NDArray attentionMask, NDArray positions) {
    NDArray h = hidden.apply(inputIds, attentionMask);
    return head.apply(Forward.atPositions(h, positions).expandDims(1)).squeeze(1);
  }
}
