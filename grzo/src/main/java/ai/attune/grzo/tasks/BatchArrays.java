package ai.attune.grzo.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.Collections;

/** Array helpers of the batch classes. */
final class BatchArrays {
  private BatchArrays() {}

  /**
   * {@code copies} copies of {@code a} stacked along axis 0, in {@code a}'s manager (the engine
   * does not implement {@code tile} along one axis).
   */
  static NDArray tile(NDArray a, int copies) {
    if (copies == 1) {
      return a.duplicate();
    }
    return NDArrays.concat(new NDList(Collections.nCopies(copies, a)), 0);
  }
}
