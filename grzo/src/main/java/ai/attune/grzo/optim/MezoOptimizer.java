package ai.attune.grzo.optim;

import ai.attune.core.noise.SeededNoise;
import ai.attune.core.params.Parameter;
import ai.attune.core.params.ParameterStore;
import ai.attune.models.adapters.LinearNoise;
import ai.attune.models.adapters.RoundedUpdate;
import ai.attune.models.layers.Linear;
import ai.attune.models.layers.Tensors;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * MeZO (Malladi et al., 2023; grzo.md §1): one Gaussian direction z for the whole batch,
 * regenerated from the step seed instead of stored. θ += σz, L+; θ −= 2σz, L−; θ += σz (or an exact
 * restore); g = (L+ − L−)/(2σ); θ −= η (g z + λθ), λ skipped for biases and norms.
 *
 * <p>The perturbed parameters are the trainable ones (or, with {@link MezoConfig#layerKinds}, those
 * GRZO perturbs), less the output head and an embedding tied to it unless {@link
 * MezoConfig#trainHead}, in declaration order.
 *
 * <p>RNG contract: parameter k of the perturbed parameters in declaration order draws {@code z_k =
 * N(0, I)} from the engine stream {@code SeededNoise.stream(stepSeed, k)} (distinct for every k, so
 * no two parameters share noise), so every pass of a step and a replay see the same z. Every change
 * of a weight (±σz and the update) is computed in float32 and rounded once to the weight's type.
 * Memory: one parameter's z at a time (plus, with exact restore, a copy of the trainable weights).
 */
public final class MezoOptimizer implements ZerothOrderOptimizer {
  private final ParameterStore store;
  private final MezoConfig config;
  private final List<Parameter> params = new ArrayList<>();
  private final Map<String, String> linearOfWeight = new HashMap<>();
  private final LinearNoise noise;

  /** MeZO with Gaussian directions. */
  public MezoOptimizer(ParameterStore store, MezoConfig config) {
    this(store, config, LinearNoise.GAUSSIAN);
  }

  /**
   * MeZO as the core of a drop-in variant (grzo.md §3): the directions of the weights of registered
   * linear layers come from {@code noise}; every other parameter's is Gaussian.
   */
  public MezoOptimizer(ParameterStore store, MezoConfig config, LinearNoise noise) {
    this.store = store;
    this.config = config;
    this.noise = noise;
    java.util.Set<String> head =
        config.trainHead() ? java.util.Set.of() : OutputHead.parameterNames(store);
    java.util.Set<String> grzo =
        config.layerKinds() == null
            ? null
            : GrzoOptimizer.selectLayers(store, config.layerKinds(), config.trainHead()).stream()
                .map(l -> l.perturbedParameter().name())
                .collect(java.util.stream.Collectors.toSet());
    for (Parameter p : store.parameters().values()) {
      if (p.trainable() && !head.contains(p.name()) && (grzo == null || grzo.contains(p.name()))) {
        params.add(p);
      }
    }
    for (Linear linear : store.modules(Linear.class)) {
      linearOfWeight.put(linear.weight().name(), linear.name());
    }
    if (params.isEmpty()) {
      throw new IllegalArgumentException("MeZO has no trainable parameter to update");
    }
  }

  @Override
  public String name() {
    return noise == LinearNoise.GAUSSIAN ? "mezo" : noise + "-mezo";
  }

  @Override
  public ZoStep step(long step, long seed, double learningRate, BatchLoss loss) {
    noise.beginStep(step);
    double sigma = config.sigma();
    try (NDManager saved = store.manager().newSubManager()) {
      List<NDArray> copies = config.exactRestore() ? snapshot(saved) : null;
      perturb(seed, sigma);
      double plus = mean(loss.evaluate(1));
      perturb(seed, -2 * sigma);
      double minus = mean(loss.evaluate(1));
      if (copies != null) {
        restore(copies);
      } else {
        perturb(seed, sigma);
      }
      double g = (plus - minus) / (2 * sigma);
      ZoStep result =
          new ZoStep(
              step,
              seed,
              learningRate,
              new double[] {plus},
              new double[] {minus},
              new double[] {g},
              Map.of(),
              false);
      if (!result.finite()) {
        return new ZoStep(
            step,
            seed,
            learningRate,
            result.lossPlus(),
            result.lossMinus(),
            new double[0],
            Map.of(),
            true);
      }
      update(result);
      return result;
    }
  }

  /**
   * Re-applies a logged step. Without exact restore the +σ/−2σ/+σ sequence is re-run first (no
   * forward passes), because its rounding leaves the weights slightly off their pre-step values and
   * the trained weights carry that drift; a skipped step (restore-only) re-runs only that.
   */
  @Override
  public void replay(ZoStep logged) {
    noise.beginStep(logged.step());
    if (!config.exactRestore()) {
      perturb(logged.seed(), config.sigma());
      perturb(logged.seed(), -2 * config.sigma());
      perturb(logged.seed(), config.sigma());
    }
    if (!logged.skipped()) {
      update(logged);
    }
  }

  private void update(ZoStep logged) {
    double g = logged.coefficients()[0];
    double lr = logged.learningRate();
    for (int k = 0; k < params.size(); k++) {
      Parameter p = params.get(k);
      NDArray theta = p.value();
      try (NDManager m = store.manager().newSubManager()) {
        float keep =
            config.weightDecay() > 0 && p.kind().decays()
                ? (float) (1 - lr * config.weightDecay())
                : 1f;
        addScaled(theta, m, logged.seed(), k, keep, -lr * g, LinearNoise.Use.UPDATE);
      }
    }
  }

  /** θ_k += scale · z_k for every trainable parameter. */
  private void perturb(long seed, double scale) {
    for (int k = 0; k < params.size(); k++) {
      NDArray theta = params.get(k).value();
      try (NDManager m = store.manager().newSubManager()) {
        addScaled(theta, m, seed, k, 1f, scale, LinearNoise.Use.FORWARD);
      }
    }
  }

  /**
   * θ_k ← round(f32(θ_k) · keep + scale · z_k) ({@link RoundedUpdate}). A float32 parameter with a
   * Gaussian z draws z already scaled by |scale| ({@link SeededNoise#scaledGaussianAt}: one pass
   * instead of two, the same bits for arrays of 16 entries or more) and puts the sign into the add,
   * as −(z·c) = z·(−c) exactly.
   */
  private void addScaled(
      NDArray theta, NDManager m, long seed, int k, float keep, double scale, LinearNoise.Use use) {
    boolean gaussian =
        noise == LinearNoise.GAUSSIAN || !linearOfWeight.containsKey(params.get(k).name());
    if (gaussian && theta.getDataType() == DataType.FLOAT32) {
      if (keep != 1f) {
        theta.muli(keep);
      }
      NDArray z =
          SeededNoise.scaledGaussianAt(
              m, SeededNoise.stream(seed, k), theta.getShape(), (float) Math.abs(scale));
      if (scale >= 0) {
        theta.addi(z);
      } else {
        theta.subi(z);
      }
    } else {
      RoundedUpdate.apply(
          theta, keep, Tensors.scaleInPlace(z(m, seed, k, theta, use), (float) -scale));
    }
  }

  /** z_k (float32): Gaussian from stream k of the seed, shaped by the variant for linear ones. */
  private NDArray z(NDManager m, long seed, int k, NDArray theta, LinearNoise.Use use) {
    Supplier<NDArray> gaussian =
        () ->
            SeededNoise.gaussianAt(
                m, SeededNoise.stream(seed, k), theta.getShape(), DataType.FLOAT32);
    String linear = linearOfWeight.get(params.get(k).name());
    NDArray z =
        linear == null ? gaussian.get() : noise.direction(linear, theta, m, seed, use, gaussian);
    return z.getDataType() == DataType.FLOAT32 ? z : z.toType(DataType.FLOAT32, false);
  }

  private List<NDArray> snapshot(NDManager into) {
    List<NDArray> copies = new ArrayList<>(params.size());
    for (Parameter p : params) {
      NDArray c = p.value().duplicate();
      c.attach(into);
      copies.add(c);
    }
    return copies;
  }

  private void restore(List<NDArray> copies) {
    for (int k = 0; k < params.size(); k++) {
      copies.get(k).copyTo(params.get(k).value());
    }
  }

  private static double mean(double[] values) {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s / values.length;
  }

  /**
   * Data parallel, first half: this worker's per-example + and − losses under the step's
   * perturbation (every worker derives the same z from the step seed); the weights are put back as
   * {@link #step} puts them back.
   */
  public ShardLosses evaluateShard(long step, long seed, BatchLoss local) {
    noise.beginStep(step);
    double sigma = config.sigma();
    try (NDManager saved = store.manager().newSubManager()) {
      List<NDArray> copies = config.exactRestore() ? snapshot(saved) : null;
      perturb(seed, sigma);
      double[] plus = local.evaluate(1);
      perturb(seed, -2 * sigma);
      double[] minus = local.evaluate(1);
      if (copies != null) {
        restore(copies);
      } else {
        perturb(seed, sigma);
      }
      return new ShardLosses(plus, minus);
    }
  }

  /**
   * Data parallel, second half: the step from the whole global batch's gathered per-example losses:
   * g = (mean ℓ+ − mean ℓ−)/(2σ) and the update, exactly as {@link #step} does with the batch
   * means. Call it after {@link #evaluateShard} of the same step.
   */
  public ZoStep applyGathered(
      long step, long seed, double learningRate, double[] plus, double[] minus) {
    double meanPlus = mean(plus);
    double meanMinus = mean(minus);
    double g = (meanPlus - meanMinus) / (2 * config.sigma());
    ZoStep result =
        new ZoStep(
            step,
            seed,
            learningRate,
            new double[] {meanPlus},
            new double[] {meanMinus},
            new double[] {g},
            Map.of(),
            false);
    if (!result.finite()) {
      return new ZoStep(
          step,
          seed,
          learningRate,
          result.lossPlus(),
          result.lossMinus(),
          new double[0],
          Map.of(),
          true);
    }
    update(result);
    return result;
  }
}
