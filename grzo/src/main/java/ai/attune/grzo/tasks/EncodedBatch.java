package ai.attune.grzo.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A batch of {@code B} task examples as token rows, ready for a forward pass and for {@link
 * TaskLosses}: one loss per example, not per row.
 *
 * <p>Lifecycle: made by a {@link TaskEncoder} in a manager of the caller's (usually the step's);
 * every array, and every array of a forward pass over them, belongs to that manager and is freed
 * with it. The batch is immutable.
 *
 * <p>For the fused two-sided pass of a zeroth-order step, {@link #repeat} stacks whole copies of
 * the batch: example {@code e} of copy {@code c} is example {@code c * B + e} of the result and the
 * losses of copy {@code c} are {@code losses.get(c * B + ":" + (c + 1) * B)}. Rows are
 * example-major: example {@code e} owns rows {@code [e * r, (e + 1) * r)} with {@code r =
 * rowsPerExample()}, so per-example values expand to rows with {@code values.repeat(0, r)}.
 */
public sealed interface EncodedBatch permits OptionRowsBatch, MaskedSlotBatch {

  /** Token ids, int64 {@code [rows, T]}. */
  NDArray inputIds();

  /** 1 for tokens, 0 for padding, int64 {@code [rows, T]}. */
  NDArray attentionMask();

  /** How the per-example loss is formed. */
  TaskObjective objective();

  /** The number of examples {@code B}. */
  int numExamples();

  /** The number of candidate answers per example {@code K}. */
  int optionsPerExample();

  /** The number of token rows ({@code B * K} for option rows, {@code B} for masked slots). */
  int numRows();

  /** The rows each example owns ({@code K} for option rows, 1 for masked slots). */
  int rowsPerExample();

  /** The example that row {@code row} belongs to: {@code row / rowsPerExample()}. */
  default int exampleOfRow(int row) {
    if (row < 0 || row >= numRows()) {
      throw new IndexOutOfBoundsException("row " + row + " of " + numRows());
    }
    return row / rowsPerExample();
  }

  /** The correct option of every example (a copy). */
  int[] labels();

  /** The batch stacked {@code copies} times along the rows, in the same manager. */
  EncodedBatch repeat(int copies);

  /**
   * The batch stacked {@code copies} times along the rows, in {@code manager} (a pass's
   * sub-manager, so that the forward over it, whose arrays follow the ids, is freed with it).
   */
  EncodedBatch repeat(int copies, NDManager manager);
}
