package ai.attune.iapo.reward;

import java.util.List;

/**
 * {@code tool_penalty}: {@code -p} for each tool call that failed to parse or to run; 0 for a
 * rollout whose calls all worked (or that made none).
 */
public final class ToolFailurePenalty implements RewardFunction {
  public static final String NAME = "tool_penalty";

  private final double penalty;

  /** A penalty of {@code penalty} (>= 0) per failed call. */
  public ToolFailurePenalty(double penalty) {
    if (!(penalty >= 0) || Double.isInfinite(penalty)) {
      throw new IllegalArgumentException(
          "penalty per failed call must be finite and >= 0, got " + penalty);
    }
    this.penalty = penalty;
  }

  public double penalty() {
    return penalty;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public double[] score(List<RolloutView> rollouts) {
    return rollouts.stream()
        .mapToDouble(r -> r.toolStats().failed() == 0 ? 0 : -penalty * r.toolStats().failed())
        .toArray();
  }
}
