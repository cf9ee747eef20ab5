package ai.attune.iapo.reward;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scores of one batch of rollouts: each function's scores and the weighted total.
 *
 * @param names the functions' names, in the set's order
 * @param weights the functions' weights
 * @param perFunction {@code perFunction[f][i]}: function f's score of rollout i (NaN = not
 *     applicable)
 * @param total the weighted sum per rollout, NaN scores counted as 0
 */
public record RewardScores(
    List<String> names, double[] weights, double[][] perFunction, double[] total) {

  public RewardScores {
    names = List.copyOf(names);
    if (weights.length != names.size() || perFunction.length != names.size()) {
      throw new IllegalArgumentException("one weight and one score row per function");
    }
    for (double[] row : perFunction) {
      if (row.length != total.length) {
        throw new IllegalArgumentException("one score per rollout in every row");
      }
    }
  }

  /** The scores of the function called {@code name}. */
  public double[] scores(String name) {
    int f = names.indexOf(name);
    if (f < 0) {
      throw new IllegalArgumentException("no reward function '" + name + "'; have " + names);
    }
    return perFunction[f].clone();
  }

  /**
   * The batch's metrics under TRL's names: {@code reward} (mean weighted total), then for each
   * function {@code rewards/<name>/mean} and {@code rewards/<name>/std} over the rollouts where it
   * applied (NaN excluded; NaN when it applied to none, std NaN below two). Group statistics
   * ({@code reward_std}, {@code frac_reward_zero_std}) come with the advantages.
   */
  public Map<String, Double> metrics() {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("reward", nanMean(total));
    for (int f = 0; f < names.size(); f++) {
      out.put("rewards/" + names.get(f) + "/mean", nanMean(perFunction[f]));
      out.put("rewards/" + names.get(f) + "/std", nanStd(perFunction[f]));
    }
    return out;
  }

  /** Mean of the non-NaN values; NaN when there are none. */
  static double nanMean(double[] v) {
    double sum = 0;
    int n = 0;
    for (double x : v) {
      if (!Double.isNaN(x)) {
        sum += x;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** Sample (n - 1) standard deviation of the non-NaN values; NaN below two values. */
  static double nanStd(double[] v) {
    double mean = nanMean(v);
    double ss = 0;
    int n = 0;
    for (double x : v) {
      if (!Double.isNaN(x)) {
        ss += (x - mean) * (x - mean);
        n++;
      }
    }
    return n < 2 ? Double.NaN : Math.sqrt(ss / (n - 1));
  }
}
