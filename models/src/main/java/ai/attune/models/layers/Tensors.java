package ai.attune.models.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/** Small array helpers that keep every temporary in the caller's manager. */
public final class Tensors {
  private Tensors() {}

  /**
   * {@code a} as {@code type}; a converted copy of a parameter is attached to {@code into} (an
   * op's result belongs to its first operand's manager, which for a parameter would leak).
   */
  public static NDArray as(NDArray a, DataType type, NDManager into) {
    if (a.getDataType() == type) {
      return a;
    }
    NDArray c = a.toType(type, true);
    c.attach(into);
    return c;
  }

  /** {@code a} in float32, converted into {@code into} when needed. */
  public static NDArray float32(NDArray a, NDManager into) {
    return as(a, DataType.FLOAT32, into);
  }
}
