package ai.attune.iapo.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AlignmentExperiment} in the slow tier: 5 seeds × (real, placebo) × {@value #STEPS} steps,
 * printing the per-seed table. It asserts what holds in every run whatever the answer: finite
 * divergences, and that students keep calling tools (a rollout without a tool call is penalised
 * with its group's largest D). Whether the real reward lowers the divergence more than the placebo
 * is the experiment's question, recorded in docs/iapo.md from its printed table; a direction is
 * asserted here only once measured runs show it in every seed.
 */
@Tag("slow") // 370 s on two quiet cores; measured table in docs/iapo.md
class AlignmentExperimentTest {
  static final int SEEDS = 5;
  static final int STEPS = 20;
  static final int WINDOW = 5;

  @TempDir Path tmp;

  @Test
  void realAndPlaceboAlignmentOverFiveSeeds() {
    List<AlignmentExperiment.Pair> pairs = AlignmentExperiment.run(SEEDS, STEPS, WINDOW, tmp);
    assertThat(pairs).hasSize(SEEDS);
    for (AlignmentExperiment.Pair p : pairs) {
      for (AlignmentExperiment.Run r : List.of(p.real(), p.placebo())) {
        assertThat(r.kl()).hasSize(STEPS);
        assertThat(r.first()).as("seed %d %s", r.seed(), r.placebo()).isFinite();
        assertThat(r.last()).as("seed %d %s", r.seed(), r.placebo()).isFinite();
        assertThat(r.lastToolCalls())
            .as("tool calls kept, seed %d %s", r.seed(), r.placebo())
            .isGreaterThan(0.5);
      }
    }
  }
}
