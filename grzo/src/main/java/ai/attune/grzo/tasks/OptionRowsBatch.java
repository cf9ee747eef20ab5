package ai.attune.grzo.tasks;

import static ai.attune.grzo.tasks.BatchArrays.tile;
import static ai.attune.grzo.tasks.BatchArrays.tileLabels;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;

/**
 * Examples for a causal LM as option rows: each example becomes {@code K} rows, row {@code k}
 * holding the prompt followed by option {@code k}, left-padded to one length {@code T}; a mask
 * marks the option tokens, which always end the row.
 *
 * <p>Option {@code k} of an example is scored by the mean log-probability of its tokens given
 * everything before them; see {@link TaskLosses}. Only the last {@link #optionSpan()} positions of
 * a row can hold option tokens, so losses read only that tail of the logits.
 */
public final class OptionRowsBatch implements EncodedBatch {
  private final NDArray inputIds;
  private final NDArray attentionMask;
  private final NDArray optionMask;
  private final NDArray labelIndex;
  private final TaskObjective objective;
  private final int numExamples;
  private final int optionsPerExample;
  private final int optionSpan;
  private final int[] labels;

  private OptionRowsBatch(
      NDArray inputIds,
      NDArray attentionMask,
      NDArray optionMask,
      NDArray labelIndex,
      TaskObjective objective,
      int optionsPerExample,
      int optionSpan,
      int[] labels) {
    this.inputIds = inputIds;
    this.attentionMask = attentionMask;
    this.optionMask = optionMask;
    this.labelIndex = labelIndex;
    this.objective = objective;
    this.numExamples = labels.length;
    this.optionsPerExample = optionsPerExample;
    this.optionSpan = optionSpan;
    this.labels = labels;
  }

  /**
   * Left-pads {@code rows} (example-major, {@code k} per example) into arrays of {@code manager}.
   *
   * @param optionLengths how many trailing tokens of each row are option tokens (>= 1, and at least
   *     one token must precede them)
   */
  static OptionRowsBatch of(
      NDManager manager,
      TaskObjective objective,
      long[][] rows,
      int[] optionLengths,
      int k,
      int[] labels,
      long padId) {
    if (rows.length != labels.length * k || optionLengths.length != rows.length) {
      throw new IllegalArgumentException(
          rows.length
              + " rows, "
              + optionLengths.length
              + " option lengths for "
              + labels.length
              + " examples of "
              + k
              + " options");
    }
    int t = Arrays.stream(rows).mapToInt(r -> r.length).max().orElse(0);
    long[] ids = new long[rows.length * t];
    long[] mask = new long[rows.length * t];
    float[] options = new float[rows.length * t];
    Arrays.fill(ids, padId);
    int span = 0;
    for (int r = 0; r < rows.length; r++) {
      int len = rows[r].length;
      int optLen = optionLengths[r];
      if (optLen < 1 || optLen >= len) {
        throw new IllegalArgumentException(
            "row "
                + r
                + ": "
                + optLen
                + " option tokens in a row"
                + " of "
                + len
                + " (need >= 1, with at least one token before them)");
      }
      span = Math.max(span, optLen);
      int start = r * t + t - len;
      System.arraycopy(rows[r], 0, ids, start, len);
      Arrays.fill(mask, start, start + len, 1L);
      Arrays.fill(options, (r + 1) * t - optLen, (r + 1) * t, 1f);
    }
    long[] labelIds = Arrays.stream(labels).asLongStream().toArray();
    return new OptionRowsBatch(
        manager.create(ids).reshape(rows.length, t),
        manager.create(mask).reshape(rows.length, t),
        manager.create(options).reshape(rows.length, t),
        manager.create(labelIds).reshape(labels.length, 1),
        objective,
        k,
        span,
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

  /** 1 on the option tokens of each row, float32 {@code [rows, T]}. */
  public NDArray optionMask() {
    return optionMask;
  }

  /** The longest option in tokens: option tokens lie in the last {@code optionSpan} columns. */
  public int optionSpan() {
    return optionSpan;
  }

  /** The correct options as int64 {@code [B, 1]}, for gathering. */
  NDArray labelIndex() {
    return labelIndex;
  }

  @Override
  public TaskObjective objective() {
    return objective;
  }

  @Override
  public int numExamples() {
    return numExamples;
  }

  @Override
  public int optionsPerExample() {
    return optionsPerExample;
  }

  @Override
  public int numRows() {
    return numExamples * optionsPerExample;
  }

  @Override
  public int rowsPerExample() {
    return optionsPerExample;
  }

  @Override
  public int[] labels() {
    return labels.clone();
  }

  @Override
  public OptionRowsBatch repeat(int copies) {
    return repeat(copies, inputIds.getManager());
  }

  @Override
  public OptionRowsBatch repeat(int copies, NDManager manager) {
    int[] tiled = tileLabels(labels, copies);
    return new OptionRowsBatch(
        tile(inputIds, copies, manager),
        tile(attentionMask, copies, manager),
        tile(optionMask, copies, manager),
        tile(labelIndex, copies, manager),
        objective,
        optionsPerExample,
        optionSpan,
        tiled);
  }

  @Override
  public String toString() {
    return "OptionRowsBatch["
        + objective
        + ", B="
        + numExamples
        + ", K="
        + optionsPerExample
        + ", T="
        + inputIds.getShape().get(1)
        + ", optionSpan="
        + optionSpan
        + "]";
  }
}
