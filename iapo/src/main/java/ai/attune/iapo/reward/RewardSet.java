package ai.attune.iapo.reward;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Reward functions with their weights. {@link #score} runs each function on the batch and adds the
 * weighted scores into one total per rollout; a NaN score ("not applicable") adds nothing to the
 * total but is kept in that function's scores, where {@link RewardScores#metrics()} leaves it out
 * of the mean. Immutable; build with {@link #builder()}.
 */
public final class RewardSet {
  private final List<RewardFunction> functions;
  private final double[] weights;

  private RewardSet(List<RewardFunction> functions, double[] weights) {
    this.functions = List.copyOf(functions);
    this.weights = weights.clone();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The functions' names, in order. */
  public List<String> names() {
    return functions.stream().map(RewardFunction::name).toList();
  }

  public double[] weights() {
    return weights.clone();
  }

  /**
   * This set with {@code function} added at {@code weight}.
   *
   * @throws IllegalArgumentException when the name is taken or the weight is not finite
   */
  public RewardSet plus(RewardFunction function, double weight) {
    Builder b = builder();
    for (int f = 0; f < functions.size(); f++) {
      b.add(functions.get(f), weights[f]);
    }
    return b.add(function, weight).build();
  }

  /**
   * Scores a batch.
   *
   * @throws IllegalStateException if a function returns the wrong number of scores or an infinite
   *     one
   */
  public RewardScores score(List<RolloutView> rollouts) {
    int n = rollouts.size();
    double[][] per = new double[functions.size()][];
    double[] total = new double[n];
    for (int f = 0; f < functions.size(); f++) {
      RewardFunction fn = functions.get(f);
      double[] s = fn.score(rollouts);
      if (s == null || s.length != n) {
        throw new IllegalStateException(
            "reward function '"
                + fn.name()
                + "' returned "
                + (s == null ? "null" : s.length + " scores")
                + " for "
                + n
                + " rollouts");
      }
      for (int i = 0; i < n; i++) {
        if (Double.isInfinite(s[i])) {
          throw new IllegalStateException(
              "reward function '" + fn.name() + "' gave rollout " + i + " an infinite score");
        }
        if (!Double.isNaN(s[i])) {
          total[i] += weights[f] * s[i];
        }
      }
      per[f] = s.clone();
    }
    return new RewardScores(names(), weights, per, total);
  }

  /** Collects functions and weights; names must be unique, weights finite. */
  public static final class Builder {
    private final List<RewardFunction> functions = new ArrayList<>();
    private final List<Double> weights = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    public Builder add(RewardFunction function, double weight) {
      Objects.requireNonNull(function, "function");
      if (!Double.isFinite(weight)) {
        throw new IllegalArgumentException(
            "weight of '" + function.name() + "' must be finite, got " + weight);
      }
      if (!names.add(function.name())) {
        throw new IllegalArgumentException("two reward functions named '" + function.name() + "'");
      }
      functions.add(function);
      weights.add(weight);
      return this;
    }

    public RewardSet build() {
      if (functions.isEmpty()) {
        throw new IllegalStateException("a reward set needs at least one function");
      }
      double[] w = weights.stream().mapToDouble(Double::doubleValue).toArray();
      return new RewardSet(functions, Arrays.copyOf(w, w.length));
    }
  }
}
