package ai.attune.grzo.optim;

/**
 * The per-example losses one data-parallel worker measured on its share of a global batch: the
 * first half of a data-parallel step. The workers exchange these, concatenate them in worker order
 * (the global batch's example order) and each applies the same update from the whole batch's losses
 * ({@code applyGathered} of {@link GrzoOptimizer} and {@link MezoOptimizer}).
 *
 * @param plus the losses of the + pass, one per local example
 * @param minus the losses of the − pass, one per local example; empty when the estimator has no −
 *     pass
 */
public record ShardLosses(double[] plus, double[] minus) {

  public ShardLosses {
    plus = plus.clone();
    minus = minus.clone();
  }

  @Override
  public double[] plus() {
    return plus.clone();
  }

  @Override
  public double[] minus() {
    return minus.clone();
  }
}
