package ai.attune.models.layers;

import ai.attune.core.device.EngineConstants;
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
 * LayerNorm over the last axis, computed in float32 whatever the compute type, with an optional
 * elementwise affine gain ({@code name.weight}) and shift ({@code name.bias}). Registers itself in
 * the store.
 *
 * <p>With a per-example perturbation set (affine layers only), example i's output gets {@code c σ
 * (x̂ ⊙ u_i)}, where x̂ is the normalised input before the gain and u_i the ±1 signs of {@link
 * #signsU}: the output of the gain {@code γ + c σ u_i}. The shift is never perturbed.
 */
public class LayerNorm extends PerturbableLayer {
  private final int dim;
  private final Shape normalized; // [dim], built once: DJL builds a Shape through streams
  private final float eps;
  private final Parameter weight;
  private final Parameter bias;

  public LayerNorm(ParameterStore store, String name, int dim, float eps, boolean affine) {
    super(store, name);
    this.dim = dim;
    this.normalized = new Shape(dim);
    this.eps = eps;
    this.weight =
        affine ? store.declare(name + ".weight", new Shape(dim), ParamKind.NORM_WEIGHT) : null;
    this.bias = affine ? store.declare(name + ".bias", new Shape(dim), ParamKind.NORM_BIAS) : null;
  }

  public NDArray forward(NDArray x) {
    DataType in = x.getDataType();
    NDArray x32 = Tensors.float32(x, x.getManager());
    NDManager m = x32.getManager();
    NDArray gamma = weight == null ? unitGain(m) : Tensors.float32(weight.value(), m);
    NDArray beta = bias == null ? zeroShift(m) : Tensors.float32(bias.value(), m);
    NDArray y;
    if (perturbation() == null) {
      y = layerNorm(x32, gamma, beta);
    } else {
      // each row's gain γ + c σ u_i applied to x̂ in place: one activation-sized array in all
      y = layerNorm(x32, unitGain(m), zeroShift(m));
      PerExamplePerturbation p = perturbation();
      try (NDArray gains =
          p.rowGains(name, gamma, mm -> signsU(mm, p.stepSeed(), p.examples()), y)) {
        y.muli(gains).addi(beta);
      }
    }
    return Tensors.as(y, in, y.getManager());
  }

  private NDArray layerNorm(NDArray x32, NDArray gamma, NDArray beta) {
    return DirectOps.layerNorm(x32, normalized, gamma, beta, eps);
  }

  // libtorch's layer norm takes a gain and a shift: shared engine constants where there are none
  // (or where x̂ itself is wanted), not two fresh arrays per call (shared: never close them)
  private NDArray unitGain(NDManager m) {
    return EngineConstants.vector(m, dim, 1f, DataType.FLOAT32);
  }

  private NDArray zeroShift(NDManager m) {
    return EngineConstants.vector(m, dim, 0f, DataType.FLOAT32);
  }

  /** The per-example gain signs u ({@code [examples, dim]}, float32 ±1) of a step. */
  public NDArray signsU(NDManager m, long stepSeed, int examples) {
    return PerturbationNoise.signs(
        m, stepSeed, streamIndex, PerturbationNoise.PURPOSE_NORM_U, new Shape(examples, dim));
  }

  public Parameter weight() {
    return weight;
  }

  public Parameter bias() {
    return bias;
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
