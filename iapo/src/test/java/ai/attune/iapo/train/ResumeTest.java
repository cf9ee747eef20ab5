package ai.attune.iapo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.run.MetricsWriter;
import ai.attune.core.run.RunFolder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed after step 3 (its last checkpoint at step 2) and resumed ends exactly where an
 * uninterrupted run ends: the same trainable weights and optimizer state, bit for bit, and the same
 * metrics lines (the killed run's line for step 3 is replaced by the resumed run's). Three IAPO
 * runs of the tiny model (about 60 s on two quiet cores), so slow-tier.
 */
@Tag("slow")
class ResumeTest {
  static final String SETTINGS =
      """
      data: {eval: []}
      train: {steps: 4, checkpoint_every: 2, samples_per_eval: 0}
      output: {plots: false}
      """;

  @TempDir Path tmp;

  @Test
  void aKilledAndResumedRunEqualsAnUninterruptedOne() throws Exception {
    Path whole = tmp.resolve("whole");
    try (IapoTrainer t = new IapoTrainer(TinyRuns.config(whole, SETTINGS))) {
      t.train(false);
    }
    Path killed = tmp.resolve("killed");
    IapoTrainConfig config = TinyRuns.config(killed, SETTINGS);
    runKilledAfter(config, 3);
    assertThat(MetricsWriter.readAll(killed.resolve("metrics.jsonl"))).hasSize(3);
    assertThat(new RunFolder(killed).checkpoints())
        .extracting(p -> p.getFileName().toString())
        .containsExactly("step-000002");
    try (IapoTrainer t = new IapoTrainer(config)) {
      assertThatThrownBy(() -> t.train(false)).hasMessageContaining("already holds a run");
      IapoTrainer.TrainResult r = t.train(true);
      assertThat(r.firstStep()).isEqualTo(3);
      assertThat(r.lastStep()).isEqualTo(4);
    }
    for (String file : List.of(TrainableCheckpoint.WEIGHTS, TrainableCheckpoint.OPTIMIZER)) {
      Path a = whole.resolve("checkpoints/step-000004").resolve(file);
      Path b = killed.resolve("checkpoints/step-000004").resolve(file);
      assertThat(Files.readAllBytes(b)).as(file).isEqualTo(Files.readAllBytes(a));
    }
    List<ObjectNode> a = MetricsWriter.readAll(whole.resolve("metrics.jsonl"));
    List<ObjectNode> b = MetricsWriter.readAll(killed.resolve("metrics.jsonl"));
    assertThat(b).hasSize(4).hasSameSizeAs(a);
    for (int i = 0; i < a.size(); i++) {
      assertThat(b.get(i).get("step").asLong()).isEqualTo(i + 1);
      for (String m :
          List.of(
              "reward",
              "reward_shaped",
              "attribution_kl",
              "loss",
              "entropy",
              "grad_norm",
              "tool_call_rate")) {
        assertThat(MetricsWriter.number(b.get(i), m))
            .as("%s at step %d", m, i + 1)
            .isEqualTo(MetricsWriter.number(a.get(i), m));
      }
    }
  }

  @Test
  void aRunKilledBeforeItsFirstCheckpointStartsAgainAndReplacesItsLogs() throws Exception {
    Path killed = tmp.resolve("early");
    IapoTrainConfig config = TinyRuns.config(killed, SETTINGS.replace("steps: 4", "steps: 2"));
    runKilledAfter(config, 1);
    assertThat(MetricsWriter.readAll(killed.resolve("metrics.jsonl"))).hasSize(1);
    assertThat(new RunFolder(killed).checkpoints()).isEmpty();
    try (IapoTrainer t = new IapoTrainer(config)) {
      IapoTrainer.TrainResult r = t.train(true);
      assertThat(r.firstStep()).isEqualTo(1);
    }
    assertThat(MetricsWriter.readAll(killed.resolve("metrics.jsonl")))
        .extracting(l -> l.get("step").asLong())
        .containsExactly(1L, 2L);
  }

  /** Starts a fresh run of {@code config} and kills it right after step {@code step}. */
  private static void runKilledAfter(IapoTrainConfig config, long step) {
    try (IapoTrainer t = new IapoTrainer(config)) {
      t.onStep(
          r -> {
            if (r.step() == step) {
              throw new IllegalStateException("killed after step " + step);
            }
          });
      assertThatThrownBy(() -> t.train(false)).hasMessageContaining("killed");
    }
  }
}
