package ai.attune.iapo.train;

import ai.attune.iapo.rollout.Rollout;
import java.util.List;
import java.util.Map;

/**
 * What one IAPO step did.
 *
 * @param step the step number (1-based)
 * @param metrics the metrics logged for it, in order (see docs/iapo.md)
 * @param rollouts its rollouts, the G of each question adjacent
 * @param outcomeRewards r_out of each rollout
 * @param divergences D of each rollout; NaN where it made no tool call (or there is no teacher)
 * @param times the time of each phase
 */
public record StepResult(
    long step,
    Map<String, Object> metrics,
    List<Rollout> rollouts,
    double[] outcomeRewards,
    double[] divergences,
    PhaseTimes times) {
  public StepResult {
    metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    rollouts = List.copyOf(rollouts);
    outcomeRewards = outcomeRewards.clone();
    divergences = divergences.clone();
  }

  /** A metric as a double (NaN when absent). */
  public double metric(String name) {
    Object v = metrics.get(name);
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
