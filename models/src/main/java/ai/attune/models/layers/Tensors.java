package ai.attune.models.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Small array helpers that keep every temporary in the caller's manager. */
public final class Tensors {
  // the 0-d shape of the scalars below, built once: DJL builds each Shape through streams, which a
  // cold step runs in the interpreter
  private static final Shape SCALAR = new Shape();

  private Tensors() {}

  /**
   * {@code a} as {@code type}; a converted copy of a parameter is attached to {@code into} (an op's
   * result belongs to its first operand's manager, which for a parameter would leak).
   */
  public static NDArray as(NDArray a, DataType type, NDManager into) {
    if (a.getDataType() == type) {
      return a;
    }
    NDArray c = a.toType(type, true);
    c.attach(into);
    return c;
  }

  /**
   * Whether an op on {@code a} may be recorded for a backward pass now: PyTorch's grad mode, on
   * inside a DJL {@code GradientCollector} (DJL reports no gradient requirement for an op's result,
   * so the mode is what tells); always true on another engine. Where it is false, an op's own
   * result may be changed in place.
   */
  public static boolean recordsGradients(NDArray a) {
    return !"PyTorch".equals(a.getManager().getEngine().getEngineName())
        || ai.djl.pytorch.jni.JniUtils.isGradMode();
  }

  /** {@code a} in float32, converted into {@code into} when needed. */
  public static NDArray float32(NDArray a, NDManager into) {
    return as(a, DataType.FLOAT32, into);
  }

  /**
   * {@code a · value} with the scalar held in engine-owned memory, for arrays that track gradients.
   * DJL's {@code mul(Number)} wraps the number in an array over a Java direct buffer and closes
   * that array after the op, while PyTorch's autograd keeps the operand for the backward pass; once
   * the JVM frees the buffer the backward multiplies by whatever the memory then holds (gradients
   * that differ between processes, or NaN). {@code full} allocates in libtorch, so the saved scalar
   * stays valid after its handle closes.
   */
  public static NDArray mulScalar(NDArray a, double value) {
    try (NDArray s = a.getManager().full(SCALAR, (float) value, a.getDataType())) {
      return a.mul(s);
    }
  }

  /**
   * {@code a *= value} in place, for arrays that track no gradient, with the scalar made by the
   * engine as a float32 0-d array: the same product as DJL's {@code muli(Number)} of a float, whose
   * Java direct buffer per call cost more than the multiplication while the JIT warms up.
   */
  public static NDArray scaleInPlace(NDArray a, float value) {
    try (NDArray s = a.getManager().full(SCALAR, value, DataType.FLOAT32)) {
      return a.muli(s);
    }
  }

  /** {@code a / value}, the scalar engine-owned (see {@link #mulScalar}). */
  public static NDArray divScalar(NDArray a, double value) {
    try (NDArray s = a.getManager().full(SCALAR, (float) value, a.getDataType())) {
      return a.div(s);
    }
  }

  /**
   * A copy of {@code a} in engine-owned memory, {@code a} closed. An array made from Java data
   * ({@code manager.create(long[])}) lives in a Java direct buffer; used as an index of an op that
   * tracks gradients (gather, take, advanced indexing), it is kept by PyTorch's autograd for the
   * backward pass, which then reads freed memory once the handle is closed (by a scope) and the JVM
   * reuses the buffer. The copy stays valid for autograd after its handle closes.
   */
  public static NDArray engineOwned(NDArray a) {
    NDArray copy = a.duplicate();
    a.close();
    return copy;
  }
}
