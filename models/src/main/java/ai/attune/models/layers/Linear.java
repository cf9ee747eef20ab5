package ai.attune.models.layers;

import ai.attune.core.params.ParamKind;
import ai.attune.core.params.Parameter;
import ai.attune.core.params.ParameterStore;
import ai.attune.models.adapters.GroupUpdate;
import ai.attune.models.adapters.LinearNoise;
import ai.attune.models.adapters.LoraTarget;
import ai.attune.models.adapters.LoraWeights;
import ai.attune.models.adapters.PerExamplePerturbation;
import ai.attune.models.adapters.PerturbableLayer;
import ai.attune.models.adapters.PerturbationKind;
import ai.attune.models.adapters.PerturbationNoise;
import ai.attune.models.adapters.RoundedUpdate;
import ai.attune.models.adapters.Temporaries;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * A linear layer {@code y = x Wᵀ + b} with its weight (out x in, HF layout) and optional bias
 * declared in a {@link ParameterStore} under HF names.
 *
 * <p>The input array is always the first operand, so every result belongs to the caller's
 * (per-step) manager, never to the parameter manager. A layer declared in a store registers itself
 * there; the tied output head ({@link #Linear(String, Parameter)}) does not.
 *
 * <p>Adapters change the forward without touching W: with LoRA attached (and not merged) it adds
 * {@code (alpha/r) (x Aᵀ) Bᵀ}; with a per-example perturbation set, row {@code x_i} of example i
 * also gets the flipout term {@code c σ r_i ⊙ ((x_i ⊙ s_i) Uᵀ)}, i.e. the output of {@code W + c σ
 * U ⊙ (r_i s_iᵀ)}, where U ({@link #noiseU}), r ({@link #signsR}) and s ({@link #signsS}) are
 * regenerated from the step seed. The perturbation acts on the base weight path only. Biases are
 * never perturbed.
 */
public class Linear extends PerturbableLayer implements LoraTarget {
  private final int inFeatures;
  private final int outFeatures;
  private final Parameter weight;
  private final Parameter bias;
  private LoraWeights lora;

  /** Declares {@code name.weight} and, when {@code withBias}, {@code name.bias}. */
  public Linear(
      ParameterStore store, String name, int inFeatures, int outFeatures, boolean withBias) {
    super(store, name);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight =
        store.declare(
            name + ".weight", new Shape(outFeatures, inFeatures), ParamKind.LINEAR_WEIGHT);
    this.bias =
        withBias ? store.declare(name + ".bias", new Shape(outFeatures), ParamKind.BIAS) : null;
  }

  /** A linear layer over an existing weight (a tied output head); no bias, not registered. */
  public Linear(String name, Parameter tiedWeight) {
    super(name);
    this.outFeatures = (int) tiedWeight.shape().get(0);
    this.inFeatures = (int) tiedWeight.shape().get(1);
    this.weight = tiedWeight;
    this.bias = null;
  }

  /** {@code x Wᵀ + b} over the last axis of {@code x}, plus the adapters' terms. */
  public NDArray forward(NDArray x) {
    NDArray b = bias == null ? null : bias.value();
    NDArray y = DirectOps.linear(x, weight.value(), b);
    if (lora != null && !lora.merged()) {
      y = y.add(lora.delta(x));
    }
    if (perturbation() != null) {
      try (NDArray term = flipout(x, perturbation())) {
        y = y.addi(term); // y is this call's own result: adding in place is safe
      }
    }
    return y;
  }

  /**
   * {@code c σ r_i ⊙ ((x_i ⊙ s_i) Uᵀ)} for every row; U and {@code x ⊙ s} are freed before
   * returning.
   */
  private NDArray flipout(NDArray x, PerExamplePerturbation p) {
    p.checkRows(name, x);
    if (x.getShape().dimension() < 2) {
      throw new IllegalArgumentException(
          "perturbed layer " + name + " needs inputs [rows, ..., in], got " + x.getShape());
    }
    NDManager m = x.getManager();
    DataType type = x.getDataType();
    int rank = x.getShape().dimension();
    long seed = p.stepSeed();
    try (Temporaries tmp = new Temporaries()) {
      LinearNoise noise = p.linearNoise();
      int b = p.examples();
      NDArray s =
          p.rows(
              name,
              PerturbationNoise.PURPOSE_S,
              mm -> inputSigns(mm, seed, b, noise),
              rank,
              type,
              false,
              m,
              tmp);
      NDArray signs =
          p.rows(
              name,
              PerturbationNoise.PURPOSE_R,
              mm -> signsR(mm, seed, b),
              rank,
              type,
              true,
              m,
              tmp);
      NDArray u =
          p.direction(name, m, tmp, mm -> direction(mm, seed, noise, LinearNoise.Use.FORWARD));
      if (u.getDataType() != type) {
        u = tmp.track(u.toType(type, false));
      }
      NDArray xs = tmp.track(x.mul(s));
      NDArray xu = DirectOps.linear(xs, u, null);
      return xu.muli(signs); // xu is this call's own result: scaling it in place saves a copy
    }
  }

  /**
   * GRZO's linear rule: {@code W -= U ⊙ (Rᵀ diag(a · scale) S)}, U as the variant shapes it for the
   * update, computed in U's storage: two weight-sized arrays at most (U and the rank-B matrix), and
   * two passes over them after the draw (the product, the subtraction).
   */
  @Override
  public void applyGroupUpdate(GroupUpdate u) {
    NDManager m = u.manager();
    long seed = u.seed();
    int b = u.examples();
    try (Temporaries tmp = new Temporaries()) {
      NDArray r =
          u.arrays()
              .perExample(
                  name, PerturbationNoise.PURPOSE_R, seed, b, m, tmp, mm -> signsR(mm, seed, b));
      NDArray s =
          u.arrays()
              .perExample(
                  name,
                  PerturbationNoise.PURPOSE_S,
                  seed,
                  b,
                  m,
                  tmp,
                  mm -> inputSigns(mm, seed, b, u.noise()));
      NDArray ra = tmp.track(r.mul(u.scaledCoefficients())); // the scale rides on the [B, out] rows
      NDArray g =
          tmp.track(DirectOps.matMul(tmp.track(DirectOps.swapAxes(ra, 0, 1)), s)); // [out, in]
      NDArray dir =
          u.arrays()
              .direction(
                  name, seed, m, tmp, mm -> direction(mm, seed, u.noise(), LinearNoise.Use.UPDATE));
      // a U the step's cache keeps stays as drawn; a fresh one (in tmp) takes the product in place
      NDArray step = u.arrays().cachesDirections() ? tmp.track(dir.mul(g)) : dir.muli(g);
      g.close(); // one weight-sized array less while the parameter is updated
      RoundedUpdate.subtract(weight.value(), step);
    }
  }

  /**
   * The direction U (out x in, float32) of step {@code stepSeed} as {@code noise} shapes it (the
   * Gaussian {@link #noiseU} unless a variant is used).
   */
  public NDArray direction(NDManager m, long stepSeed, LinearNoise noise, LinearNoise.Use use) {
    return noise.direction(name, weight.value(), m, stepSeed, use, () -> noiseU(m, stepSeed));
  }

  /** The input signs s of step {@code stepSeed}, or all ones where {@code noise} says so. */
  public NDArray inputSigns(NDManager m, long stepSeed, int examples, LinearNoise noise) {
    return noise.unitInputSigns()
        ? m.ones(new Shape(examples, inFeatures))
        : signsS(m, stepSeed, examples);
  }

  /** The Gaussian base U (out x in, float32) of step {@code stepSeed}. */
  public NDArray noiseU(NDManager m, long stepSeed) {
    return PerturbationNoise.gaussian(
        m, stepSeed, streamIndex, PerturbationNoise.PURPOSE_U, weight.shape());
  }

  /** The output signs r ({@code [examples, out]}, float32 ±1) of step {@code stepSeed}. */
  public NDArray signsR(NDManager m, long stepSeed, int examples) {
    return PerturbationNoise.signs(
        m, stepSeed, streamIndex, PerturbationNoise.PURPOSE_R, new Shape(examples, outFeatures));
  }

  /** The input signs s ({@code [examples, in]}, float32 ±1) of step {@code stepSeed}. */
  public NDArray signsS(NDManager m, long stepSeed, int examples) {
    return PerturbationNoise.signs(
        m, stepSeed, streamIndex, PerturbationNoise.PURPOSE_S, new Shape(examples, inFeatures));
  }

  @Override
  public int inFeatures() {
    return inFeatures;
  }

  @Override
  public int outFeatures() {
    return outFeatures;
  }

  @Override
  public Parameter weight() {
    return weight;
  }

  /** The bias parameter, or null for a layer without one. */
  public Parameter bias() {
    return bias;
  }

  @Override
  public PerturbationKind perturbationKind() {
    return PerturbationKind.LINEAR;
  }

  @Override
  public Parameter perturbedParameter() {
    return weight;
  }

  @Override
  public LoraWeights lora() {
    return lora;
  }

  @Override
  public void attachLora(LoraWeights lora) {
    if (this.lora != null) {
      throw new IllegalStateException("layer " + name + " already has LoRA");
    }
    this.lora = lora;
  }
}
