package ai.attune.models.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.Locale;
import java.util.function.UnaryOperator;

/** The activation functions HF configs name, by their HF names. */
public enum Activations {
  RELU(Activation::relu),
  /** Exact (erf) GELU. */
  GELU(Activation::gelu),
  /** tanh-approximated GELU ({@code gelu_new}, {@code gelu_pytorch_tanh}). */
  GELU_TANH(Activations::geluTanh),
  // x · sigmoid(x): DJL's swish(x, 1) computes x.mul(1f), whose scalar autograd would keep in
  // freed memory (see Tensors#mulScalar)
  SILU(x -> x.mul(Activation.sigmoid(x)));

  private final UnaryOperator<NDArray> fn;

  Activations(UnaryOperator<NDArray> fn) {
    this.fn = fn;
  }

  public NDArray apply(NDArray x) {
    return fn.apply(x);
  }

  /** The activation for an HF {@code hidden_act}/{@code activation_function} value. */
  public static Activations fromHf(String name, String source) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "relu":
        return RELU;
      case "gelu":
        return GELU;
      case "gelu_new":
      case "gelu_pytorch_tanh":
      case "gelu_fast":
        return GELU_TANH;
      case "silu":
      case "swish":
        return SILU;
      default:
        throw new IllegalArgumentException(
            source
                + ": unsupported activation '"
                + name
                + "' (supported: relu, gelu, gelu_new, gelu_pytorch_tanh, silu)");
    }
  }

  private static NDArray geluTanh(NDArray x) {
    // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    // scalars engine-owned (Tensors#mulScalar): autograd keeps the factors of each product
    NDArray cube = x.mul(x).mul(x);
    NDArray inner =
        Tensors.mulScalar(Tensors.mulScalar(cube, 0.044715).add(x), Math.sqrt(2 / Math.PI));
    return Tensors.mulScalar(inner.tanh().add(1f).mul(x), 0.5);
  }
}
