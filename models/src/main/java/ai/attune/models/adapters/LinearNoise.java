package ai.attune.models.adapters;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.Supplier;

/**
 * The base direction U of a linear weight in one zeroth-order step: Gaussian by default, or shaped
 * by a drop-in variant (grzo.md §3: sparse, low-rank, quantized). The same object serves the
 * perturbed forward and the update, so both see the directions the variant defines.
 *
 * <p>Implementations derive every draw from the step seed (and, for state that spans steps such as
 * LOZO's v, from their own run-level seed and the step index set by {@link #beginStep}), so a
 * replay regenerates the same directions.
 */
public interface LinearNoise {

  /** What a direction is used for; a quantized variant rounds each use independently. */
  enum Use {
    FORWARD,
    UPDATE
  }

  /** The plain Gaussian base: {@code gaussian.get()}. */
  LinearNoise GAUSSIAN = (layer, weight, m, seed, use, gaussian) -> gaussian.get();

  /**
   * The direction (float32, the weight's shape) of linear weight {@code layer} at step seed {@code
   * seed}.
   *
   * @param weight the weight's current value (read only; the sparse variant masks by it)
   * @param gaussian draws the step's N(0, I) base for this layer, if the variant needs it
   */
  NDArray direction(
      String layer, NDArray weight, NDManager m, long seed, Use use, Supplier<NDArray> gaussian);

  /** Whether the input signs s_i are all 1 (LOZO's strict form keeps updates in span(v)). */
  default boolean unitInputSigns() {
    return false;
  }

  /** Called by the optimizer before a step (and before replaying one) with its index. */
  default void beginStep(long step) {}
}
