package ai.attune.models.llama;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.function.Function;

/**
 * One step of a backward pass with recomputation: a function of one input run under autograd and
 * differentiated with respect to that input (and any parameter that requires a gradient), every
 * temporary closed afterwards.
 */
final class LayerGradient {
  private LayerGradient() {}

  /** d scalar(x) / d x at {@code input} (not modified), in {@code input}'s manager and type. */
  static NDArray of(NDArray input, Function<NDArray, NDArray> scalar) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray x = input.duplicate();
      x.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        gc.backward(scalar.apply(x));
      }
      NDArray grad = x.getGradient().duplicate();
      NDScope.unregister(grad);
      grad.attach(input.getManager());
      return grad;
    }
  }

  /** {@code Σ y · g} in float32: its gradient with respect to y is g. */
  static NDArray dot(NDArray y, NDArray g) {
    return y.toType(DataType.FLOAT32, false).mul(g.toType(DataType.FLOAT32, false)).sum();
  }
}
