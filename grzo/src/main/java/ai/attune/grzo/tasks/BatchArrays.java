package ai.attune.grzo.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.Collections;

/** Array helpers of the batch classes. */
final class BatchArrays {
  private BatchArrays() {}

  /**
   * {@code copies} copies of {@code a} stacked along axis 0, in {@code a}'s manager (the engine
   * does not implement {@code tile} along one axis).
   */
  static NDArray tile(NDArray a, int copies) {
    return tile(a, copies, a.getManager());
  }

  /** The labels of a batch repeated {@code copies} times (at least 1), copy-major. */
  static int[] tileLabels(int[] labels, int copies) {
    if (copies < 1) {
      throw new IllegalArgumentException("copies must be >= 1, got " + copies);
    }
    int[] tiled = new int[labels.length * copies];
    for (int c = 0; c < copies; c++) {
      System.arraycopy(labels, 0, tiled, c * labels.length, labels.length);
    }
    return tiled;
  }

  /** {@code copies} copies of {@code a} stacked along axis 0, attached to {@code manager}. */
  static NDArray tile(NDArray a, int copies, NDManager manager) {
    NDArray out =
        copies == 1
            ? a.duplicate()
            : NDArrays.concat(new NDList(Collections.nCopies(copies, a)), 0);
    out.attach(manager);
    return out;
  }
}
