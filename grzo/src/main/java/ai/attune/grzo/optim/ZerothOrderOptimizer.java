package ai.attune.grzo.optim;

/**
 * A forward-only optimizer: it estimates a descent direction from losses of perturbed models and
 * updates the trainable parameters in place, with no gradients and no optimizer state.
 *
 * <p>Lifecycle: built over one model's parameters with an immutable config; {@link #step} once per
 * mini-batch with a fresh step seed; every random draw of the step (noise, signs, masks) derives
 * from that seed, so {@link #replay} can re-apply a logged step to the same starting weights from
 * its seed and coefficients alone and reach the same weights on the same device and dtype. A step
 * that meets a non-finite loss leaves the weights as they were and reports itself skipped; the
 * caller decides whether to stop.
 */
public interface ZerothOrderOptimizer {

  /** The optimizer's name as configs write it ({@code mezo}, {@code grzo}, ...). */
  String name();

  /**
   * One step.
   *
   * @param step the step index (for the log)
   * @param seed the step seed every random draw of the step derives from
   * @param learningRate η for this step (after the schedule)
   * @param loss the per-example losses of the current mini-batch
   */
  ZoStep step(long step, long seed, double learningRate, BatchLoss loss);

  /**
   * Re-applies the update of a logged step (its seed, learning rate and coefficients); for a logged
   * skipped step, re-does only what its passes left in the weights (MeZO without exact restore: the
   * +σ/−2σ/+σ rounding).
   */
  void replay(ZoStep logged);
}
