package ai.attune.models.adapters;

import ai.attune.core.noise.SeededNoise;
import ai.attune.core.params.ParamKind;
import ai.attune.core.params.Parameter;
import ai.attune.core.params.ParameterStore;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * LoRA on the linear layers of a model, found through the store's layer registry.
 *
 * <p>{@link #apply} declares, for each targeted layer, {@code <layer>.lora_A.weight} {@code [r,
 * in]} and {@code <layer>.lora_B.weight} {@code [out, r]} in the store (PEFT's names without the
 * {@code base_model.model.} prefix), in the type of the base weight, trainable and requiring
 * gradients; every parameter that existed before is frozen. The returned object merges and unmerges
 * all updates at once.
 *
 * <p>With a per-example perturbation on as well, the perturbation acts on the base weight path
 * only: {@code x (W + cσΔ_i)ᵀ + b + (alpha/r)(x Aᵀ)Bᵀ}; the LoRA matrices themselves are never
 * perturbed. (Merged, the perturbation applies to the merged weight.) Since the base weights are
 * frozen, select them explicitly, e.g. {@code Perturbations.apply(store, p, layer -> true)}.
 */
public final class Lora {
  private final LoraConfig config;
  private final List<LoraWeights> layers;

  private Lora(LoraConfig config, List<LoraWeights> layers) {
    this.config = config;
    this.layers = List.copyOf(layers);
  }

  /** Adds LoRA to every registered linear layer {@code config} targets; see the class doc. */
  public static Lora apply(ParameterStore store, LoraConfig config) {
    List<LoraTarget> chosen = new ArrayList<>();
    List<String> available = new ArrayList<>();
    for (LoraTarget t : store.modules(LoraTarget.class)) {
      available.add(t.name());
      if (config.targets(t.name())) {
        if (t.lora() != null) {
          throw new IllegalStateException("layer " + t.name() + " already has LoRA");
        }
        chosen.add(t);
      }
    }
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException(
          "lora targets "
              + config.targets()
              + " match no registered linear layer; layers: "
              + (available.size() > 8 ? available.subList(0, 8) + " ..." : available));
    }
    for (Parameter p : store.parameters().values()) {
      p.setTrainable(false);
    }
    List<LoraWeights> weights = new ArrayList<>();
    for (LoraTarget t : chosen) {
      weights.add(adapt(store, config, t));
    }
    return new Lora(config, weights);
  }

  private static LoraWeights adapt(ParameterStore store, LoraConfig config, LoraTarget t) {
    int r = config.rank();
    DataType type = t.weight().value().getDataType();
    Parameter a =
        store.declare(
            t.name() + ".lora_A.weight", new Shape(r, t.inFeatures()), ParamKind.LINEAR_WEIGHT);
    Parameter b =
        store.declare(
            t.name() + ".lora_B.weight", new Shape(t.outFeatures(), r), ParamKind.LINEAR_WEIGHT);
    NDManager params = store.manager();
    long seed =
        SeededNoise.derive(
            config.initSeed(),
            PerturbationNoise.layerKey(t.name()),
            PerturbationNoise.PURPOSE_LORA_A);
    NDArray av = initialA(params, seed, a.shape(), config, t.inFeatures(), type);
    NDArray bv = params.zeros(b.shape(), type);
    av.setRequiresGradient(true);
    bv.setRequiresGradient(true);
    a.set(av);
    b.set(bv);
    LoraWeights w = new LoraWeights(store, t, a, b, config.scale());
    t.attachLora(w);
    return w;
  }

  private static NDArray initialA(
      NDManager params, long seed, Shape shape, LoraConfig config, int in, DataType type) {
    if (config.init() == LoraConfig.LoraInit.KAIMING_UNIFORM) {
      float bound = (float) (1.0 / Math.sqrt(in));
      return SeededNoise.uniform(params, seed, shape, type, -bound, bound);
    }
    try (NDManager tmp = params.newSubManager()) {
      NDArray z =
          SeededNoise.gaussian(tmp, seed, shape, DataType.FLOAT32)
              .div(config.rank())
              .toType(type, false);
      z.attach(params);
      return z;
    }
  }

  public LoraConfig config() {
    return config;
  }

  /** The adapted layers' updates, in registration order. */
  public List<LoraWeights> layers() {
    return layers;
  }

  /** The trainable LoRA parameters: A then B of each layer, in registration order. */
  public List<Parameter> parameters() {
    List<Parameter> out = new ArrayList<>();
    for (LoraWeights w : layers) {
      out.add(w.a());
      out.add(w.b());
    }
    return out;
  }

  /** Whether the updates are folded into the base weights. */
  public boolean merged() {
    return layers.get(0).merged();
  }

  /** Folds every update into its base weight. */
  public void merge() {
    for (LoraWeights w : layers) {
      w.merge();
    }
  }

  /** Takes every update back out of its base weight. */
  public void unmerge() {
    for (LoraWeights w : layers) {
      w.unmerge();
    }
  }
}
