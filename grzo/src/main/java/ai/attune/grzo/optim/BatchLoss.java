package ai.attune.grzo.optim;

/**
 * The per-example losses of the model, as it is at the moment of the call (perturbed or not), on
 * one fixed mini-batch. Supplied by a task for each step; called by a {@link
 * ZerothOrderOptimizer} once per pass.
 */
@FunctionalInterface
public interface BatchLoss {

  /**
   * Per-example losses of the batch repeated {@code copies} times along the batch axis: {@code
   * copies * B} values, copy-major (the losses of copy 0 first). {@code copies} is 1 for a plain
   * pass and 2 for GRZO's fused ± pass, where the optimizer's perturbation gives the first copy
   * the sign +1 and the second −1.
   */
  double[] evaluate(int copies);
}
