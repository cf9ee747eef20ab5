package ai.attune.iapo.train;

import java.util.Locale;

/** The parts of one IAPO step whose wall-clock time is measured and logged ({@code time/...}). */
public enum Phase {
  /** Token generation of the rollouts (the sampler's passes). */
  GENERATION,
  /** Everything else of the rollouts: parsing turns, running tools, processing their images. */
  TOOLS,
  /** The outcome reward functions. */
  REWARDS,
  /** The student's attribution of each rollout's tool call. */
  ATTRIBUTION,
  /** The teacher's attribution of the same. */
  TEACHER,
  /** Advantages, the teacher-forced forward and backward, the optimizer step(s). */
  POLICY_UPDATE;

  /** The metric name, {@code time/generation}. */
  public String metric() {
    return "time/" + name().toLowerCase(Locale.ROOT);
  }
}
