package ai.attune.iapo.grpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Group-relative advantages: each rollout's reward compared with the other rollouts of the same
 * prompt.
 *
 * <p>GRPO (Shao et al. 2024, "DeepSeekMath: Pushing the Limits of Mathematical Reasoning in Open
 * Language Models", section 4.1.2, outcome supervision) uses {@code A_i = (r_i - mean_G r) / std_G
 * r}; like TRL and verl this adds ε to the denominator and uses the sample (n - 1) standard
 * deviation. Dr. GRPO (Liu et al. 2025, "Understanding R1-Zero-Like Training: A Critical
 * Perspective", section 3.1) drops the division by the standard deviation, which biases updates
 * toward prompts that are too easy or too hard: {@code A_i = r_i - mean_G r}.
 *
 * <p>A group whose rewards are all identical has zero spread and teaches nothing: its advantages
 * are set to exactly 0 (not left at the rounding residue of {@code r - mean}), and it is counted in
 * {@code frac_reward_zero_std}. Rewards are data, not differentiated.
 */
public final class GroupAdvantages {
  private GroupAdvantages() {}

  /**
   * The advantages and the group statistics of one batch.
   *
   * @param advantages {@code [B]}, in the rewards' manager and dtype
   * @param rewardStd the mean over groups of the group's reward standard deviation (TRL's {@code
   *     reward_std})
   * @param fracRewardZeroStd the fraction of groups whose rewards are all equal
   */
  public record Result(NDArray advantages, double rewardStd, double fracRewardZeroStd) {
    /** {@code reward_std} and {@code frac_reward_zero_std}. */
    public Map<String, Double> metrics() {
      Map<String, Double> out = new LinkedHashMap<>();
      out.put("reward_std", rewardStd);
      out.put("frac_reward_zero_std", fracRewardZeroStd);
      return out;
    }
  }

  /**
   * Computes the advantages of {@code B = groups × groupSize} rewards, the rollouts of each prompt
   * adjacent ({@code [p0 o0, p0 o1, ..., p1 o0, ...]}).
   *
   * @param rewards float {@code [B]}
   * @param groupSize rollouts per prompt, at least 2
   * @param scaleByStd divide by the group's standard deviation (GRPO); false for Dr. GRPO
   * @param epsilon added to the standard deviation before dividing
   */
  public static Result compute(NDArray rewards, int groupSize, boolean scaleByStd, double epsilon) {
    long b = rewards.getShape().size();
    if (rewards.getShape().dimension() != 1) {
      throw new IllegalArgumentException("rewards must be 1-d [B], got " + rewards.getShape());
    }
    if (groupSize < 2 || b % groupSize != 0) {
      throw new IllegalArgumentException(
          "need a group size >= 2 that divides the " + b + " rewards, got " + groupSize);
    }
    if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
      throw new IllegalArgumentException("epsilon must be finite and >= 0, got " + epsilon);
    }
    int[] axis = {1};
    NDArray grouped = rewards.reshape(-1, groupSize);
    NDArray centered = grouped.sub(grouped.mean(axis, true));
    NDArray std = centered.square().sum(axis, true).div(groupSize - 1).sqrt();
    NDArray spread =
        grouped
            .max(axis, true)
            .sub(grouped.min(axis, true))
            .gt(0)
            .toType(rewards.getDataType(), false);
    NDArray adv = scaleByStd ? centered.div(std.add(epsilon)) : centered;
    NDArray out = adv.mul(spread).reshape(-1);
    double fracZero = 1.0 - spread.mean().toType(DataType.FLOAT64, false).getDouble();
    double meanStd = std.mean().toType(DataType.FLOAT64, false).getDouble();
    return new Result(out, meanStd, fracZero);
  }
}
