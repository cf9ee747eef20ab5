package ai.attune.models.layers;

import ai.attune.core.params.ParamKind;
import ai.attune.core.params.Parameter;
import ai.attune.core.params.ParameterStore;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * RMSNorm over the last axis as Llama and Qwen2 define it: {@code x / sqrt(mean(x²) + eps)}
 * computed in float32, cast back to the input type, then scaled by the gain {@code name.weight}.
 */
public class RmsNorm {
  private final float eps;
  private final Parameter weight;

  public RmsNorm(ParameterStore store, String name, int dim, float eps) {
    this.eps = eps;
    this.weight = store.declare(name + ".weight", new Shape(dim), ParamKind.NORM_WEIGHT);
  }

  /** The normalised input before the gain, in the input's type. */
  public NDArray normalize(NDArray x) {
    DataType in = x.getDataType();
    NDArray x32 = Tensors.float32(x, x.getManager());
    NDArray rms = x32.square().mean(new int[] {-1}, true).add(eps).sqrt();
    return Tensors.as(x32.div(rms), in, x.getManager());
  }

  public NDArray forward(NDArray x) {
    return normalize(x).mul(weight.value());
  }

  public float eps() {
    return eps;
  }

  public Parameter weight() {
    return weight;
  }
}
