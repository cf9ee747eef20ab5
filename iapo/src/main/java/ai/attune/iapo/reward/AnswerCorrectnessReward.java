package ai.attune.iapo.reward;

import java.util.List;
import java.util.Objects;

/**
 * {@code accuracy}: the {@link Judge}'s score of the final answer against the gold answer; 0 for a
 * rollout that gave no final answer. The default is ChartQA's relaxed accuracy with a 5 % relative
 * tolerance.
 */
public final class AnswerCorrectnessReward implements RewardFunction {
  public static final String NAME = "accuracy";

  /** ChartQA's relaxed-accuracy tolerance. */
  public static final double DEFAULT_RELATIVE_TOLERANCE = 0.05;

  private final Judge judge;

  public AnswerCorrectnessReward(Judge judge) {
    this.judge = Objects.requireNonNull(judge, "judge");
  }

  /** Relaxed accuracy at {@link #DEFAULT_RELATIVE_TOLERANCE}. */
  public static AnswerCorrectnessReward relaxed() {
    return relaxed(DEFAULT_RELATIVE_TOLERANCE);
  }

  public static AnswerCorrectnessReward relaxed(double relativeTolerance) {
    return new AnswerCorrectnessReward(Judge.relaxed(relativeTolerance));
  }

  public static AnswerCorrectnessReward exactMatch() {
    return new AnswerCorrectnessReward(Judge.exactMatch());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double[] score(List<RolloutView> rollouts) {
    double[] out = new double[rollouts.size()];
    for (int i = 0; i < out.length; i++) {
      RolloutView r = rollouts.get(i);
      if (r.finalAnswer() == null) {
        continue;
      }
      double s = judge.judge(r.question(), r.finalAnswer(), r.goldAnswer());
      if (!Double.isNaN(s) && !(s >= 0 && s <= 1)) {
        throw new IllegalStateException(
            "the judge scored rollout "
                + i
                + " "
                + s
                + "; a judge returns a score in [0, 1] or NaN");
      }
      out[i] = s;
    }
    return out;
  }
}
