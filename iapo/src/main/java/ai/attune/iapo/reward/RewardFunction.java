package ai.attune.iapo.reward;

import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * A reward as a plain function: one score per rollout, {@code NaN} where the function does not
 * apply to that rollout. Scores are combined with weights in a {@link RewardSet} and logged under
 * {@link #name()}.
 */
public interface RewardFunction {

  /** The name the scores are logged under ({@code rewards/<name>/mean}). */
  String name();

  /**
   * Scores a batch of rollouts.
   *
   * @return exactly one score per rollout, in order; NaN means "not applicable"
   */
  double[] score(List<RolloutView> rollouts);

  /** A reward that scores each rollout on its own. */
  static RewardFunction of(String name, ToDoubleFunction<RolloutView> perRollout) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(perRollout, "perRollout");
    return new RewardFunction() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public double[] score(List<RolloutView> rollouts) {
        return rollouts.stream().mapToDouble(perRollout).toArray();
      }
    };
  }
}
