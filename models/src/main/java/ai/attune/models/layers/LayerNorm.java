package ai.attune.models.layers;

import ai.attune.core.params.ParamKind;
import ai.attune.core.params.Parameter;
import ai.attune.core.params.ParameterStore;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * LayerNorm over the last axis, computed in float32 whatever the compute type, with an optional
 * elementwise affine gain ({@code name.weight}) and shift ({@code name.bias}).
 */
public class LayerNorm {
  private final int dim;
  private final float eps;
  private final Parameter weight;
  private final Parameter bias;

  public LayerNorm(ParameterStore store, String name, int dim, float eps, boolean affine) {
    this.dim = dim;
    this.eps = eps;
    this.weight = affine ? store.declare(name + ".weight", new Shape(dim), ParamKind.NORM_WEIGHT)
        : null;
    this.bias = affine ? store.declare(name + ".bias", new Shape(dim), ParamKind.NORM_BIAS) : null;
  }

  public NDArray forward(NDArray x) {
    DataType in = x.getDataType();
    NDArray x32 = Tensors.float32(x, x.getManager());
    NDManager m = x32.getManager();
    NDArray gamma = weight == null ? m.ones(new Shape(dim)) : Tensors.float32(weight.value(), m);
    NDArray beta = bias == null ? m.zeros(new Shape(dim)) : Tensors.float32(bias.value(), m);
    NDArray y = x32.getNDArrayInternal()
        .layerNorm(x32, new Shape(dim), gamma, beta, eps).singletonOrThrow();
    return Tensors.as(y, in, y.getManager());
  }

  public Parameter weight() {
    return weight;
  }

  public Parameter bias() {
    return bias;
  }
}
