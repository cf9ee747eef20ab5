package ai.attune.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.config.Mappers;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run folder both trainers write: checkpoints are whole or absent, only the newest are kept, a
 * trainer's loop state travels through {@code trainer_state.json}, and a resume cuts the logs back
 * to the checkpoint's counts.
 */
@Tag("pure")
class RunFolderTest {
  @TempDir Path tmp;

  /** A trainer's own loop state, as a trainer would declare it. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Loop(List<Double> recentLosses, boolean finished) {}

  private static RunRecord record() {
    return RunRecord.capture("test", Mappers.json().createObjectNode(), 7, "cpu()");
  }

  private static TrainerState state(long step, long metricsLines) {
    return TrainerState.of(
        step, 7, Map.of(RunFolder.METRICS, metricsLines), new Loop(List.of(0.5, 0.25), false));
  }

  private static IoConsumer<Path> weights(String text) {
    return dir -> Files.writeString(dir.resolve("weights.bin"), text, StandardCharsets.UTF_8);
  }

  @Test
  void checkpointsHoldWeightsStateConfigAndRecordAndOnlyTheNewestAreKept() throws IOException {
    RunFolder run = new RunFolder(tmp.resolve("run"));
    assertThat(run.latestCheckpoint()).isEmpty();
    for (long step = 1; step <= 4; step++) {
      run.writeCheckpoint(state(step, step), "steps: 4\n", record(), 2, weights("w" + step));
    }
    assertThat(run.checkpoints())
        .extracting(p -> p.getFileName().toString())
        .containsExactly("step-000003", "step-000004");
    Path last = run.lastCheckpoint();
    assertThat(last).isEqualTo(run.checkpoint(4));
    assertThat(Files.readString(last.resolve("weights.bin"))).isEqualTo("w4");
    assertThat(Files.readString(last.resolve(RunFolder.CONFIG))).isEqualTo("steps: 4\n");
    assertThat(RunRecord.read(last.resolve(RunFolder.RUN_RECORD)).seed()).isEqualTo(7);
    TrainerState read = TrainerState.read(last);
    assertThat(read).isEqualTo(state(4, 4));
    assertThat(read.loop(Loop.class)).isEqualTo(new Loop(List.of(0.5, 0.25), false));
    assertThat(read.lines(RunFolder.METRICS)).isEqualTo(4);
    assertThat(read.lines("eval.jsonl")).isZero();
  }

  @Test
  void aFailedCheckpointLeavesThePreviousOneAndAnIncompleteFolderIsNotACheckpoint()
      throws IOException {
    RunFolder run = new RunFolder(tmp.resolve("run"));
    run.writeCheckpoint(state(2, 2), "a\n", record(), 3, weights("w2"));
    assertThatThrownBy(
            () ->
                run.writeCheckpoint(
                    state(3, 3),
                    "a\n",
                    record(),
                    3,
                    dir -> {
                      throw new IOException("disk full");
                    }))
        .hasMessage("disk full");
    // a folder of the right name without a trainer state (a copy cut short) is not counted
    Files.createDirectories(run.checkpoint(5));
    Files.writeString(run.checkpoint(5).resolve("weights.bin"), "partial");
    assertThat(run.checkpoints()).containsExactly(run.checkpoint(2));
    assertThat(Files.list(run.dir().resolve(RunFolder.CHECKPOINTS)).map(p -> p.getFileName()))
        .map(Path::toString)
        .containsExactlyInAnyOrder("step-000002", "step-000005");
    assertThatThrownBy(() -> new RunFolder(tmp.resolve("empty")).lastCheckpoint())
        .isInstanceOf(IOException.class)
        .hasMessageContaining(tmp.resolve("empty").resolve("checkpoints").toString())
        .hasMessageContaining("no complete checkpoint");
  }

  @Test
  void aResumeCutsEveryCountedLogBackToTheCheckpoint() throws IOException {
    RunFolder run = new RunFolder(tmp.resolve("run"));
    Files.createDirectories(run.dir());
    Files.writeString(run.metrics(), "{\"step\":1}\n{\"step\":2}\n{\"step\":3}\n{\"st");
    Files.writeString(run.file("eval.jsonl"), "{\"step\":2}\n{\"step\":3}\n");
    TrainerState s = new TrainerState(2, 7, Map.of(RunFolder.METRICS, 2L, "eval.jsonl", 1L), null);
    run.cutLogs(s);
    assertThat(Files.readString(run.metrics())).isEqualTo("{\"step\":1}\n{\"step\":2}\n");
    assertThat(Files.readString(run.file("eval.jsonl"))).isEqualTo("{\"step\":2}\n");
  }

  @Test
  void clearDeletesWhatARunWroteAndNothingElse() throws IOException {
    RunFolder run = new RunFolder(tmp.resolve("run"));
    run.writeRunFiles("x: 1\n", record());
    Files.writeString(run.metrics(), "{}\n");
    Files.writeString(run.file("notes.txt"), "mine");
    run.writeCheckpoint(state(1, 1), "x: 1\n", record(), 1, weights("w"));
    assertThat(run.hasRun(List.of(RunFolder.METRICS))).isTrue();
    run.clear(List.of(RunFolder.METRICS));
    assertThat(Files.list(run.dir()).map(p -> p.getFileName().toString()))
        .containsExactly("notes.txt");
    assertThat(run.hasRun(List.of(RunFolder.METRICS))).isFalse();
    assertThat(run.hasCheckpoint()).isFalse();
  }

  @Test
  void aTrainerStateThatIsMissingOrMalformedIsAnErrorNamingTheFile() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("ckpt"));
    assertThatThrownBy(() -> TrainerState.read(dir))
        .isInstanceOf(IOException.class)
        .hasMessage(dir + " is not a training checkpoint (no trainer_state.json)");
    Files.writeString(dir.resolve(TrainerState.FILE), "{\"step\": \"ten\"}");
    assertThatThrownBy(() -> TrainerState.read(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(dir.resolve(TrainerState.FILE).toString())
        .hasMessageContaining("(field step)");
    assertThatThrownBy(() -> new TrainerState(-1, 0, Map.of(), null))
        .hasMessageContaining("step must be >= 0");
  }
}
