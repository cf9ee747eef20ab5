package ai.attune.grzo.optim;

import ai.attune.core.noise.SeededNoise;
import ai.attune.core.params.Parameter;
import ai.attune.core.params.ParameterStore;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MeZO (Malladi et al., 2023; grzo.md §1): one Gaussian direction z for the whole batch,
 * regenerated from the step seed instead of stored. θ += σz, L+; θ −= 2σz, L−; θ += σz (or an
 * exact restore); g = (L+ − L−)/(2σ); θ −= η (g z + λθ), λ skipped for biases and norms.
 *
 * <p>RNG contract: parameter k of the trainable parameters in declaration order draws {@code z_k
 * = N(0, I)} from {@code SeededNoise.derive(stepSeed, k)}, so every pass of a step and a replay
 * see the same z. Memory: one parameter's z at a time (plus, with exact restore, a copy of the
 * trainable weights).
 */
public final class MezoOptimizer implements ZerothOrderOptimizer {
  private final ParameterStore store;
  private final MezoConfig config;
  private final List<Parameter> params = new ArrayList<>();

  public MezoOptimizer(ParameterStore store, MezoConfig config) {
    this.store = store;
    this.config = config;
    for (Parameter p : store.parameters().values()) {
      if (p.trainable()) {
        params.add(p);
      }
    }
    if (params.isEmpty()) {
      throw new IllegalArgumentException("MeZO has no trainable parameter to update");
    }
  }

  @Override
  public String name() {
    return "mezo";
  }

  @Override
  public StepResult step(long step, long seed, double learningRate, BatchLoss loss) {
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
      StepResult result = new StepResult(step, seed, learningRate, new double[] {plus},
          new double[] {minus}, new double[] {g}, Map.of(), false);
      if (!result.finite()) {
        return new StepResult(step, seed, learningRate, result.lossPlus(), result.lossMinus(),
            new double[0], Map.of(), true);
      }
      replay(result);
      return result;
    }
  }

  @Override
  public void replay(StepResult logged) {
    double g = logged.coefficients()[0];
    double lr = logged.learningRate();
    for (int k = 0; k < params.size(); k++) {
      Parameter p = params.get(k);
      NDArray theta = p.value();
      try (NDManager m = store.manager().newSubManager()) {
        if (config.weightDecay() > 0 && p.kind().decays()) {
          theta.muli((float) (1 - lr * config.weightDecay()));
        }
        theta.subi(z(m, logged.seed(), k, theta).muli((float) (lr * g)));
      }
    }
  }

  /** θ_k += scale · z_k for every trainable parameter. */
  private void perturb(long seed, double scale) {
    for (int k = 0; k < params.size(); k++) {
      NDArray theta = params.get(k).value();
      try (NDManager m = store.manager().newSubManager()) {
        theta.addi(z(m, seed, k, theta).muli((float) scale));
      }
    }
  }

  private static NDArray z(NDManager m, long seed, int k, NDArray like) {
    return SeededNoise.gaussian(m, SeededNoise.derive(seed, k), like.getShape(),
        like.getDataType());
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
}
