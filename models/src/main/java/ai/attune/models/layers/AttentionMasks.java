package ai.attune.models.layers;

import ai.attune.core.device.EngineConstants;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Causal masks built from a padding mask, for left- or right-padded batches and for incremental
 * decoding (the queries are the last {@code Tq} of {@code Tk} positions).
 */
public final class AttentionMasks {
  /** The value added to masked attention scores (HF's {@code finfo(float32).min}). */
  public static final float MASKED = -Float.MAX_VALUE;

  private AttentionMasks() {}

  /**
   * Key j is visible to query i (absolute position {@code Tk - Tq + i}) when {@code j <= Tk - Tq +
   * i} and {@code attentionMask[b, j] == 1}.
   *
   * @param attentionMask int or float {@code [B, Tk]}, 1 for real tokens, 0 for padding
   * @param queries the number of query positions (the newest ones)
   */
  public static AttentionMask causal(NDArray attentionMask, long queries) {
    NDManager m = attentionMask.getManager();
    long keys = attentionMask.getShape().get(1);
    NDArray qPos =
        m.arange((int) (keys - queries), (int) keys, 1, DataType.INT64).reshape(queries, 1);
    NDArray kPos = m.arange(0, (int) keys, 1, DataType.INT64).reshape(1, keys);
    NDArray causal = kPos.lte(qPos).toType(DataType.FLOAT32, false); // [Tq, Tk]
    NDArray pad =
        attentionMask
            .toType(DataType.FLOAT32, false)
            .reshape(attentionMask.getShape().get(0), 1, 1, keys); // [B,1,1,Tk]
    return fromVisible(pad.mul(causal.reshape(1, 1, queries, keys)));
  }

  /** Both forms from a 0/1 float32 visibility array {@code [B, 1, Tq, Tk]}. */
  public static AttentionMask fromVisible(NDArray visible) {
    NDManager m = visible.getManager();
    NDArray additive =
        visible
            .neg()
            .add(EngineConstants.of(m, 1f, DataType.FLOAT32))
            .mul(EngineConstants.of(m, MASKED, DataType.FLOAT32));
    NDArray rowVisible = visible.max(new int[] {-1}, true);
    return new AttentionMask(additive, rowVisible);
  }
}
