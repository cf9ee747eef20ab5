package ai.attune.models.layers;

import ai.attune.core.params.ParamKind;
import ai.attune.core.params.Parameter;
import ai.attune.core.params.ParameterStore;
import ai.attune.models.adapters.GroupUpdate;
import ai.attune.models.adapters.PerExamplePerturbation;
import ai.attune.models.adapters.PerturbableLayer;
import ai.attune.models.adapters.PerturbationKind;
import ai.attune.models.adapters.PerturbationNoise;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * RMSNorm over the last axis as Llama and Qwen2 define it: {@code x / sqrt(mean(x²) + eps)}
 * computed in float32, cast back to the input type, then scaled by the gain {@code name.weight}.
 * Registers itself in the store.
 *
 * <p>With a per-example perturbation set, example i's output gets {@code c σ (x̂ ⊙ u_i)} (x̂ the
 * normalised input before the gain, u_i the ±1 signs of {@link #signsU}), computed in the input
 * type: the output of the gain {@code γ + c σ u_i}.
 */
public class RmsNorm extends PerturbableLayer {
  private final int dim;
  private final float eps;
  private final Parameter weight;

  public RmsNorm(ParameterStore store, String name, int dim, float eps) {
    super(store, name);
    this.dim = dim;
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
    NDArray xhat = normalize(x);
    PerExamplePerturbation p = perturbation();
    if (p == null) {
      return xhat.mul(weight.value());
    }
    // each row's gain γ + c σ u_i applied to x̂ (this call's own array) in place
    try (NDArray gains =
        p.rowGains(name, weight.value(), mm -> signsU(mm, p.stepSeed(), p.examples()), xhat)) {
      return xhat.muli(gains);
    }
  }

  /** The per-example gain signs u ({@code [examples, dim]}, float32 ±1) of a step. */
  public NDArray signsU(NDManager m, long stepSeed, int examples) {
    return PerturbationNoise.signs(
        m, stepSeed, streamIndex, PerturbationNoise.PURPOSE_NORM_U, new Shape(examples, dim));
  }

  public float eps() {
    return eps;
  }

  public Parameter weight() {
    return weight;
  }

  @Override
  public PerturbationKind perturbationKind() {
    return PerturbationKind.NORM;
  }

  @Override
  public Parameter perturbedParameter() {
    return weight;
  }

  /** GRZO's gain rule: {@code γ -= scale · Σ_i a_i u_i} ({@link GroupUpdate#applyToGain}). */
  @Override
  public void applyGroupUpdate(GroupUpdate u) {
    u.applyToGain(
        name, weight, PerturbationNoise.PURPOSE_NORM_U, mm -> signsU(mm, u.seed(), u.examples()));
  }
}
