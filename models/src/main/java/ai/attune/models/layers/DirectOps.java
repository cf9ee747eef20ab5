package ai.attune.models.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The few libtorch ops of an attention block and a linear layer called straight through DJL's
 * {@code JniUtils}: the same libtorch calls, with the same results, as DJL's {@code NDArray}
 * methods, without the Java work DJL does first. DJL's {@code transpose(int...)} and {@code matMul}
 * ask libtorch for the operands' shapes ({@code isScalar}) and build a {@code Shape} through
 * streams; {@code reshape(long...)} builds one too; {@code linear} wraps its result in an {@code
 * NDList}. Once the JIT has compiled that code it costs little, but a short run executes it in the
 * interpreter, where the attention block alone held a third of the Java time of a small model's
 * forward (docs/grzo.md, "Cold steps and the JIT"). Arrays of another engine go through DJL's
 * methods.
 *
 * <p>Every result belongs to the first operand's manager, as with DJL's methods.
 */
public final class DirectOps {
  private DirectOps() {}

  /** {@code x} with its axes in the order {@code axes} (a view where libtorch can make one). */
  public static NDArray permute(NDArray x, int... axes) {
    if (!(x instanceof PtNDArray p)) {
      return x.transpose(axes);
    }
    long[] dims = new long[axes.length];
    for (int i = 0; i < axes.length; i++) {
      dims[i] = axes[i];
    }
    return JniUtils.permute(p, dims);
  }

  /** {@code x} with axes {@code a} and {@code b} swapped. */
  public static NDArray swapAxes(NDArray x, int a, int b) {
    return x instanceof PtNDArray p ? JniUtils.transpose(p, a, b) : x.swapAxes(a, b);
  }

  /** {@code x} reshaped to {@code shape} (a view where libtorch can make one). */
  public static NDArray reshape(NDArray x, long... shape) {
    return x instanceof PtNDArray p ? JniUtils.reshape(p, shape) : x.reshape(new Shape(shape));
  }

  /**
   * {@code x} restricted to {@code [start, end)} along {@code axis} (a view), as DJL's {@code
   * get(NDIndex)} with that one slice, without parsing an index or building one.
   */
  public static NDArray slice(NDArray x, int axis, long start, long end) {
    if (x instanceof PtNDArray p) {
      return JniUtils.slice(p, axis, start, end, 1);
    }
    NDIndex index = new NDIndex();
    for (int i = 0; i < axis; i++) {
      index.addAllDim();
    }
    return x.get(index.addSliceDim(start, end));
  }

  /**
   * {@code x} with axes {@code start..end} (inclusive) merged into one, as {@code torch.flatten} (a
   * view where libtorch can make one), without reading {@code x}'s shape.
   */
  public static NDArray flatten(NDArray x, int start, int end) {
    return x instanceof PtNDArray p ? JniUtils.flatten(p, start, end) : x.flatten(start, end);
  }

  /**
   * Layer normalisation of {@code x} over its trailing {@code normalized} axes with gain {@code
   * gamma} and bias {@code beta}, as DJL's {@code layerNorm} without its {@code NDList} wrapping.
   */
  public static NDArray layerNorm(
      NDArray x, Shape normalized, NDArray gamma, NDArray beta, float eps) {
    if (x instanceof PtNDArray px
        && gamma instanceof PtNDArray pg
        && beta instanceof PtNDArray pb) {
      return JniUtils.layerNorm(px, normalized, pg, pb, eps);
    }
    return x.getNDArrayInternal().layerNorm(x, normalized, gamma, beta, eps).singletonOrThrow();
  }

  /** The matrix product {@code a b}, batched over leading axes as {@code torch.matmul}. */
  public static NDArray matMul(NDArray a, NDArray b) {
    return a instanceof PtNDArray pa && b instanceof PtNDArray pb
        ? JniUtils.matmul(pa, pb)
        : a.matMul(b);
  }

  /** {@code x Wᵀ + bias} over the last axis of {@code x}; {@code bias} may be null. */
  public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
    if (x instanceof PtNDArray px
        && weight instanceof PtNDArray pw
        && (bias == null || bias instanceof PtNDArray)) {
      return JniUtils.linear(px, pw, (PtNDArray) bias);
    }
    return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
  }
}
