package ai.attune.iapo.grpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Bytes of the arrays a manager and its sub-managers hold open: a measure of a step's working
 * memory that tests can compare across settings (tensors the engine keeps without a Java handle,
 * such as what autograd saved after the handle was closed, are not counted).
 */
final class LiveArrays {
  private LiveArrays() {}

  static long bytes(NDManager manager) {
    long total = 0;
    for (NDArray a : manager.getManagedArrays()) {
      if (!a.isReleased()) {
        total += a.getShape().size() * a.getDataType().getNumOfBytes();
      }
    }
    return total;
  }
}
