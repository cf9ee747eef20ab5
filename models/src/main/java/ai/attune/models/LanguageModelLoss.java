package ai.attune.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Next-token cross-entropy per example, over unpadded positions. */
public final class LanguageModelLoss {
  private LanguageModelLoss() {}

  /**
   * Token-mean next-token cross-entropy of each row: position t predicts token t+1 wherever both
   * are real tokens ({@code mask[b, t] == mask[b, t+1] == 1}), which is what HF's reference
   * losses for padded rows count.
   *
   * @param logits float32 {@code [B, T, V]}
   * @param inputIds int64 {@code [B, T]}
   * @param attentionMask {@code [B, T]}, 1 for tokens, 0 for padding
   * @return float32 {@code [B]}
   */
  public static NDArray perExample(NDArray logits, NDArray inputIds, NDArray attentionMask) {
    long t = logits.getShape().get(1);
    NDArray logp = logits.get(":, :" + (t - 1) + ", :").logSoftmax(-1);
    NDArray targets = inputIds.get(":, 1:").toType(DataType.INT64, false).expandDims(2);
    NDArray tokenLogp = logp.gather(targets, 2).squeeze(2); // [B, T-1]
    NDArray m = attentionMask.toType(DataType.FLOAT32, false);
    NDArray weights = m.get(":, 1:").mul(m.get(":, :" + (t - 1)));
    NDArray total = tokenLogp.mul(weights).sum(new int[] {1}).neg();
    return total.div(weights.sum(new int[] {1}).maximum(1f));
  }
}
