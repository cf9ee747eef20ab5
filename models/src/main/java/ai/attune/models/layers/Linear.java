package ai.attune.models.layers;

import ai.attune.core.params.ParamKind;
import ai.attune.core.params.Parameter;
import ai.attune.core.params.ParameterStore;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * A linear layer {@code y = x Wᵀ + b} with its weight (out x in, HF layout) and optional bias
 * declared in a {@link ParameterStore} under HF names.
 *
 * <p>The input array is always the first operand, so every result belongs to the caller's
 * (per-step) manager, never to the parameter manager.
 */
public class Linear {
  private final String name;
  private final int inFeatures;
  private final int outFeatures;
  private final Parameter weight;
  private final Parameter bias;

  /** Declares {@code name.weight} and, when {@code withBias}, {@code name.bias}. */
  public Linear(ParameterStore store, String name, int inFeatures, int outFeatures,
      boolean withBias) {
    this.name = name;
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight =
        store.declare(name + ".weight", new Shape(outFeatures, inFeatures), ParamKind.LINEAR_WEIGHT);
    this.bias = withBias ? store.declare(name + ".bias", new Shape(outFeatures), ParamKind.BIAS)
        : null;
  }

  /** A linear layer over an existing weight (a tied output head); no bias. */
  public Linear(String name, Parameter tiedWeight) {
    this.name = name;
    this.outFeatures = (int) tiedWeight.shape().get(0);
    this.inFeatures = (int) tiedWeight.shape().get(1);
    this.weight = tiedWeight;
    this.bias = null;
  }

  /** {@code x Wᵀ + b} over the last axis of {@code x}. */
  public NDArray forward(NDArray x) {
    NDArray b = bias == null ? null : bias.value();
    return x.getNDArrayInternal().linear(x, weight.value(), b).singletonOrThrow();
  }

  public String name() {
    return name;
  }

  public int inFeatures() {
    return inFeatures;
  }

  public int outFeatures() {
    return outFeatures;
  }

  public Parameter weight() {
    return weight;
  }

  /** The bias parameter, or null for a layer without one. */
  public Parameter bias() {
    return bias;
  }
}
