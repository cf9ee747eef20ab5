package ai.attune.grzo.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Option scores and per-example losses of an {@link EncodedBatch} from its logits (MeZO's {@code
 * forward_wrap_with_option_len}, per example instead of batch-averaged).
 *
 * <p>Option rows: option {@code k} scores {@code s_k} = the mean over its tokens of {@code log
 * p(token | everything before it)}. The loss of an example is {@code -log_softmax(s)} at the
 * correct option for {@link TaskObjective#CLASSIFICATION}, and {@code -s} of the correct option,
 * the token-mean LM loss of its tokens, for the other objectives. Masked slots: the scores are the
 * logits of the label words at the mask position, and the loss the cross-entropy over them. Every
 * array belongs to the manager of the logits; all math is float32.
 */
public final class TaskLosses {
  private TaskLosses() {}

  /**
   * Per-example losses {@code [B]} of a forward over the batch's ids and mask, which is asked for
   * the logits the loss reads only (the option span, the mask slot).
   */
  public static NDArray perExample(EncodedBatch batch, Forward forward) {
    return fromScores(batch, optionScores(batch, forward));
  }

  /** Per-example losses {@code [B]} from the batch's logits {@code [rows, T, V]}. */
  public static NDArray perExample(EncodedBatch batch, NDArray logits) {
    return fromScores(batch, optionScores(batch, logits));
  }

  /**
   * The score of every option of every example, float32 {@code [B, K]}: mean option-token
   * log-probability (option rows) or label-word logit at the mask (masked slots).
   */
  public static NDArray optionScores(EncodedBatch batch, NDArray logits) {
    Shape s = logits.getShape();
    Shape ids = batch.inputIds().getShape();
    if (s.dimension() != 3 || s.get(0) != ids.get(0) || s.get(1) != ids.get(1)) {
      throw new IllegalArgumentException("logits " + s + " do not match the batch's ids " + ids);
    }
    return optionScores(batch, (Forward) (i, m) -> logits);
  }

  /**
   * {@link #optionScores(EncodedBatch, NDArray)} from a forward that is asked for the logits of the
   * positions the scores read only: the option span's {@code span} positions before the last, or
   * each row's mask position.
   */
  public static NDArray optionScores(EncodedBatch batch, Forward forward) {
    NDArray ids = batch.inputIds();
    NDArray mask = batch.attentionMask();
    if (batch instanceof OptionRowsBatch) {
      OptionRowsBatch rows = (OptionRowsBatch) batch;
      long t = ids.getShape().get(1);
      return rowScores(rows, forward.logits(ids, mask, t - 1 - rows.optionSpan(), t - 1));
    }
    MaskedSlotBatch slots = (MaskedSlotBatch) batch;
    return forward.logitsAt(ids, mask, slots.maskPositions()).gather(slots.labelWordIndex(), 1);
  }

  /** Per-example losses {@code [B]} from option scores {@code [B, K]}. */
  public static NDArray fromScores(EncodedBatch batch, NDArray scores) {
    NDArray labels =
        batch instanceof OptionRowsBatch
            ? ((OptionRowsBatch) batch).labelIndex()
            : ((MaskedSlotBatch) batch).labelIndex();
    NDArray logp =
        batch.objective() == TaskObjective.CLASSIFICATION ? scores.logSoftmax(1) : scores;
    return logp.gather(labels, 1).squeeze(1).neg();
  }

  /** Option-row scores from the logits {@code [R, span, V]} of the span's preceding positions. */
  private static NDArray rowScores(OptionRowsBatch batch, NDArray spanLogits) {
    long t = batch.inputIds().getShape().get(1);
    int span = batch.optionSpan();
    NDArray logp = spanLogits.logSoftmax(-1);
    NDArray targets = batch.inputIds().get(":, " + (t - span) + ":").expandDims(2);
    NDArray tokenLogp = logp.gather(targets, 2).squeeze(2); // [R, span]
    NDArray weights = batch.optionMask().get(":, " + (t - span) + ":");
    NDArray rows = tokenLogp.mul(weights).sum(new int[] {1}).div(weights.sum(new int[] {1}));
    return rows.reshape(batch.numExamples(), batch.optionsPerExample());
  }
}
