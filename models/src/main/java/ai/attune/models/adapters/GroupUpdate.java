package ai.attune.models.adapters;

import ai.attune.core.params.Parameter;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.Function;

/**
 * One GRZO update of one perturbed layer (grzo.md §2): each layer applies it with its own rule,
 * beside the perturbed term its forward adds ({@link Perturbable#applyGroupUpdate}), by
 * regenerating the step's noise from {@code seed}. The step is computed in float32 from the
 * coefficients already multiplied by {@code scale} (η / (mσB), m the estimator mode's multiple), so
 * that no rule spends a pass over a weight-sized array on the scale, and subtracted from the
 * parameter in place, rounded once to its type ({@link RoundedUpdate}); every temporary is freed
 * before the layer returns.
 *
 * @param manager where the update's temporaries are made
 * @param seed the step seed (the passes' noise is drawn from it)
 * @param scaledCoefficients the coefficients times the scale, {@code a_i · scale} computed in
 *     double and rounded once to float32, {@code [B, 1]}
 * @param scale η / (mσB) (an embedding table scales its row coefficients on the host with it)
 * @param noise how a variant shapes the linear directions ({@link LinearNoise#GAUSSIAN} for GRZO
 *     itself)
 * @param arrays the step's cached sign vectors (made by the passes, or made here)
 * @param rows an embedding table's row coefficients {@code Σ a_i s_{i,t}} per table row seen in the
 *     batch; null for other layers
 */
public record GroupUpdate(
    NDManager manager,
    long seed,
    NDArray scaledCoefficients,
    double scale,
    LinearNoise noise,
    StepArrays arrays,
    TokenCoefficients rows) {

  /** The number of examples B. */
  public int examples() {
    return (int) scaledCoefficients.size();
  }

  /**
   * The norm-gain rule, shared by LayerNorm and RmsNorm: {@code γ -= scale · Σ_i a_i u_i}, with u_i
   * example i's ±1 gain signs ({@code [B, dim]}, drawn by {@code signs} unless the passes cached
   * them under the layer's name and {@code purpose}).
   */
  public void applyToGain(
      String layer, Parameter gain, long purpose, Function<NDManager, NDArray> signs) {
    try (Temporaries tmp = new Temporaries()) {
      NDArray u = arrays.perExample(layer, purpose, seed, examples(), manager, tmp, signs);
      NDArray weighted = tmp.track(u.mul(scaledCoefficients));
      NDArray step = tmp.track(weighted.sum(new int[] {0}));
      RoundedUpdate.subtract(gain.value(), step);
    }
  }
}
