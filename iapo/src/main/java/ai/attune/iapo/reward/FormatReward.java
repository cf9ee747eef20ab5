package ai.attune.iapo.reward;

import java.util.List;

/**
 * {@code format}: 1 when the rollout ends with a final answer ({@code FINAL ANSWER: ...}) and every
 * {@code <tool_call>} block it wrote was well-formed, else 0.
 */
public final class FormatReward implements RewardFunction {
  public static final String NAME = "format";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double[] score(List<RolloutView> rollouts) {
    return rollouts.stream()
        .mapToDouble(r -> r.finalAnswer() != null && r.toolStats().parseFailures() == 0 ? 1 : 0)
        .toArray();
  }
}
