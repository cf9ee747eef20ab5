package ai.attune.grzo.tasks;

import static ai.attune.grzo.tasks.BatchArrays.tile;
import static ai.attune.grzo.tasks.BatchArrays.tileLabels;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;

/**
 * Examples for a masked LM in the LM-BFF form MeZO uses for RoBERTa: one row per example with a
 * single {@code <mask>} token, right-padded; the candidates are label words (one token each) and
 * example {@code b} scores them by the logits of those words at its mask position.
 */
public final class MaskedSlotBatch implements EncodedBatch {
  private final NDArray inputIds;
  private final NDArray attentionMask;
  private final NDArray maskPositions;
  private final NDArray labelWordIndex;
  private final NDArray labelIndex;
  private final long[] labelWordIds;
  private final int[] labels;

  private MaskedSlotBatch(
      NDArray inputIds,
      NDArray attentionMask,
      NDArray maskPositions,
      NDArray labelWordIndex,
      NDArray labelIndex,
      long[] labelWordIds,
      int[] labels) {
    this.inputIds = inputIds;
    this.attentionMask = attentionMask;
    this.maskPositions = maskPositions;
    this.labelWordIndex = labelWordIndex;
    this.labelIndex = labelIndex;
    this.labelWordIds = labelWordIds;
    this.labels = labels;
  }

  /** Right-pads {@code rows} into arrays of {@code manager}. */
  static MaskedSlotBatch of(
      NDManager manager,
      long[][] rows,
      int[] maskPositions,
      long[] labelWordIds,
      int[] labels,
      long padId) {
    int b = rows.length;
    int t = Arrays.stream(rows).mapToInt(r -> r.length).max().orElse(0);
    long[] ids = new long[b * t];
    long[] mask = new long[b * t];
    Arrays.fill(ids, padId);
    long[] words = new long[b * labelWordIds.length];
    for (int r = 0; r < b; r++) {
      System.arraycopy(rows[r], 0, ids, r * t, rows[r].length);
      Arrays.fill(mask, r * t, r * t + rows[r].length, 1L);
      System.arraycopy(labelWordIds, 0, words, r * labelWordIds.length, labelWordIds.length);
    }
    return new MaskedSlotBatch(
        manager.create(ids).reshape(b, t),
        manager.create(mask).reshape(b, t),
        manager.create(Arrays.stream(maskPositions).asLongStream().toArray()),
        manager.create(words).reshape(b, labelWordIds.length),
        manager.create(Arrays.stream(labels).asLongStream().toArray()).reshape(b, 1),
        labelWordIds.clone(),
        labels.clone());
  }

  @Override
  public NDArray inputIds() {
    return inputIds;
  }

  @Override
  public NDArray attentionMask() {
    return attentionMask;
  }

  /** The position of the mask token in each row, int64 {@code [B]}. */
  public NDArray maskPositions() {
    return maskPositions;
  }

  /** The token id of each label word, in option order (a copy). */
  public long[] labelWordIds() {
    return labelWordIds.clone();
  }

  /** The label word ids for every row, int64 {@code [B, K]}, for gathering. */
  NDArray labelWordIndex() {
    return labelWordIndex;
  }

  /** The correct options as int64 {@code [B, 1]}, for gathering. */
  NDArray labelIndex() {
    return labelIndex;
  }

  @Override
  public TaskObjective objective() {
    return TaskObjective.CLASSIFICATION;
  }

  @Override
  public int numExamples() {
    return labels.length;
  }

  @Override
  public int optionsPerExample() {
    return labelWordIds.length;
  }

  @Override
  public int numRows() {
    return labels.length;
  }

  @Override
  public int rowsPerExample() {
    return 1;
  }

  @Override
  public int[] labels() {
    return labels.clone();
  }

  @Override
  public MaskedSlotBatch repeat(int copies) {
    return repeat(copies, inputIds.getManager());
  }

  @Override
  public MaskedSlotBatch repeat(int copies, NDManager manager) {
    int[] tiled = tileLabels(labels, copies);
    return new MaskedSlotBatch(
        tile(inputIds, copies, manager),
        tile(attentionMask, copies, manager),
        tile(maskPositions, copies, manager),
        tile(labelWordIndex, copies, manager),
        tile(labelIndex, copies, manager),
        labelWordIds,
        tiled);
  }

  @Override
  public String toString() {
    return "MaskedSlotBatch[B="
        + labels.length
        + ", K="
        + labelWordIds.length
        + ", T="
        + inputIds.getShape().get(1)
        + "]";
  }
}
