package ai.attune.models;

import ai.attune.core.device.EngineConstants;
import ai.attune.models.layers.DirectOps;
import ai.attune.models.layers.Scopes;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Per-example cross-entropy over unpadded positions: of the next token for a causal LM, of the
 * token at each position for a masked LM.
 */
public final class LanguageModelLoss {
  /**
   * The most log-probabilities {@link #perExample} holds at once besides the logits: rows are
   * scored in blocks of at most this many bytes (at least one row), each block's arrays freed
   * before the next. The values do not depend on the blocking (each row is computed alone).
   */
  static final long CHUNK_BYTES = 16L << 20;

  private LanguageModelLoss() {}

  /**
   * Token-mean next-token cross-entropy of each row: position t predicts token t+1 wherever both
   * are real tokens ({@code mask[b, t] == mask[b, t+1] == 1}), which is what HF's reference losses
   * for padded rows count.
   *
   * @param logits float32 {@code [B, T, V]}
   * @param inputIds int64 {@code [B, T]}
   * @param attentionMask {@code [B, T]}, 1 for tokens, 0 for padding
   * @return float32 {@code [B]}
   */
  public static NDArray perExample(NDArray logits, NDArray inputIds, NDArray attentionMask) {
    return perExample(logits, inputIds, attentionMask, CHUNK_BYTES);
  }

  /**
   * {@link #perExample} scoring rows in blocks of at most {@code chunkBytes} (at least one row).
   */
  static NDArray perExample(
      NDArray logits, NDArray inputIds, NDArray attentionMask, long chunkBytes) {
    Shape s = logits.getShape();
    long rowsPerChunk = rowsPerChunk(s.get(1), s.get(2), chunkBytes);
    if (rowsPerChunk >= s.get(0)) {
      return Scopes.keepOnly(() -> nextTokenLoss(logits, inputIds, attentionMask));
    }
    return inRowBlocks(
        s.get(0),
        rowsPerChunk,
        (from, to) ->
            nextTokenLoss(
                rows(logits, from, to), rows(inputIds, from, to), rows(attentionMask, from, to)));
  }

  /**
   * How many rows of {@code [t, vocab]} float32 logits fit in {@code chunkBytes} (at least one).
   */
  private static long rowsPerChunk(long t, long vocab, long chunkBytes) {
    return Math.max(1L, chunkBytes / Math.max(1L, t * vocab * Float.BYTES));
  }

  /**
   * The losses of rows {@code [0, b)}, {@code lossOfRows} applied to one block of at most {@code
   * rowsPerBlock} rows at a time (given as {@code [from, to)}), each block's arrays but its losses
   * freed before the next.
   */
  private static NDArray inRowBlocks(long b, long rowsPerBlock, RowsLoss lossOfRows) {
    NDList parts = new NDList();
    for (long from = 0; from < b; from += rowsPerBlock) {
      long start = from;
      long end = Math.min(b, from + rowsPerBlock);
      parts.add(Scopes.keepOnly(() -> lossOfRows.of(start, end)));
    }
    if (parts.size() == 1) {
      return parts.singletonOrThrow();
    }
    NDArray out = NDArrays.concat(parts);
    parts.close();
    return out;
  }

  /** The losses of rows {@code [from, to)}. */
  private interface RowsLoss {
    NDArray of(long from, long to);
  }

  /** Rows {@code [from, to)} of {@code x} (a view). */
  private static NDArray rows(NDArray x, long from, long to) {
    return DirectOps.slice(x, 0, from, to);
  }

  /**
   * The rows' losses: log-softmax of the whole (contiguous) block, then a view without the last
   * position, which gives the same values as slicing first without the contiguous [rows, T-1, V]
   * copy that a softmax of the sliced view makes.
   */
  private static NDArray nextTokenLoss(NDArray logits, NDArray inputIds, NDArray attentionMask) {
    long t = logits.getShape().get(1);
    NDArray logp = DirectOps.slice(logits.logSoftmax(-1), 1, 0, t - 1);
    NDArray targets =
        DirectOps.slice(inputIds, 1, 1, t).toType(DataType.INT64, false).expandDims(2);
    NDArray tokenLogp = logp.gather(targets, 2).squeeze(2); // [rows, T-1]
    NDArray m = attentionMask.toType(DataType.FLOAT32, false);
    NDArray weights = DirectOps.slice(m, 1, 1, t).mul(DirectOps.slice(m, 1, 0, t - 1));
    NDArray total = tokenLogp.mul(weights).sum(new int[] {1}).neg();
    return total.div(atLeastOne(weights.sum(new int[] {1})));
  }

  /** {@code max(n, 1)} elementwise, against a shared float32 constant (see EngineConstants). */
  private static NDArray atLeastOne(NDArray n) {
    return n.maximum(EngineConstants.of(n.getManager(), 1f, DataType.FLOAT32));
  }

  /**
   * {@link #perExample(NDArray, NDArray, NDArray)} of {@code lm.headLogits(hidden)}, with the head
   * applied to one block of rows at a time: each block's logits (at most {@link #CHUNK_BYTES}, at
   * least one row) are made, scored and freed before the next, so the {@code [B, T, vocab]} logits
   * never exist at once. Each row's values are those of the whole-batch loss up to the rounding of
   * the head's product for a different number of rows.
   *
   * @param hidden {@code [B, T, hidden]} from {@link SeparableHeadLM#forwardHidden}
   * @param inputIds int64 {@code [B, T]}
   * @param attentionMask {@code [B, T]}, 1 for tokens, 0 for padding
   * @return float32 {@code [B]}
   */
  public static NDArray perExample(
      SeparableHeadLM lm, NDArray hidden, NDArray inputIds, NDArray attentionMask) {
    return perExample(lm, hidden, inputIds, attentionMask, CHUNK_BYTES);
  }

  /** As {@link #perExample(SeparableHeadLM, NDArray, NDArray, NDArray)} in blocks of this size. */
  static NDArray perExample(
      SeparableHeadLM lm,
      NDArray hidden,
      NDArray inputIds,
      NDArray attentionMask,
      long chunkBytes) {
    long rowsPerChunk = rowsPerChunk(hidden.getShape().get(1), lm.info().vocabSize(), chunkBytes);
    return inRowBlocks(
        hidden.getShape().get(0),
        rowsPerChunk,
        (from, to) ->
            nextTokenLoss(
                lm.headLogits(rows(hidden, from, to)),
                rows(inputIds, from, to),
                rows(attentionMask, from, to)));
  }

  /**
   * Token-mean cross-entropy of each row with every unpadded input token as the target at its own
   * position ({@code mask[b, t] == 1}), the loss a masked LM scores unmasked input with (HF's
   * {@code labels = input_ids} with padding set to -100).
   *
   * @param logits float32 {@code [B, T, V]}
   * @param inputIds int64 {@code [B, T]}
   * @param attentionMask {@code [B, T]}, 1 for tokens, 0 for padding
   * @return float32 {@code [B]}
   */
  public static NDArray perExampleAtOwnPosition(
      NDArray logits, NDArray inputIds, NDArray attentionMask) {
    NDArray targets = inputIds.toType(DataType.INT64, false).expandDims(2);
    NDArray tokenLogp = logits.logSoftmax(-1).gather(targets, 2).squeeze(2); // [B, T]
    NDArray weights = attentionMask.toType(DataType.FLOAT32, false);
    NDArray total = tokenLogp.mul(weights).sum(new int[] {1}).neg();
    return total.div(atLeastOne(weights.sum(new int[] {1})));
  }
}
