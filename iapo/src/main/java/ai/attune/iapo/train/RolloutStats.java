package ai.attune.iapo.train;

import ai.attune.iapo.rollout.Rollout;
import ai.attune.iapo.tools.ToolCallStats;
import java.util.List;

/**
 * Tool use and length of a batch of rollouts.
 *
 * @param rollouts how many
 * @param withToolCall rollouts that attempted at least one tool call
 * @param calls tool-call attempts
 * @param succeeded attempts that parsed and ran without error
 * @param policyTokens tokens the model generated, all rollouts together
 */
public record RolloutStats(
    int rollouts, int withToolCall, int calls, int succeeded, long policyTokens) {

  public static RolloutStats of(List<Rollout> rollouts) {
    int with = 0;
    int calls = 0;
    int ok = 0;
    long tokens = 0;
    for (Rollout r : rollouts) {
      ToolCallStats s = r.toolStats();
      with += s.attempted() > 0 ? 1 : 0;
      calls += s.attempted();
      ok += s.succeeded();
      tokens += r.trajectory().policyTokens();
    }
    return new RolloutStats(rollouts.size(), with, calls, ok, tokens);
  }

  /** The fraction of rollouts that attempted a tool call (NaN for none). */
  public double toolCallRate() {
    return rollouts == 0 ? Double.NaN : (double) withToolCall / rollouts;
  }

  /** The fraction of attempted calls that succeeded (NaN when none was attempted). */
  public double toolSuccessRate() {
    return calls == 0 ? Double.NaN : (double) succeeded / calls;
  }

  /** Generated tokens per rollout. */
  public double meanPolicyTokens() {
    return rollouts == 0 ? Double.NaN : (double) policyTokens / rollouts;
  }
}
