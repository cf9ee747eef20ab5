package ai.attune.grzo.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed synthetic sets are exactly what their seed generates, and load as tasks. */
@Tag("pure")
class SyntheticTasksTest {
  static final List<String> FILES =
      List.of(
          "sst2-synth/train.jsonl",
          "sst2-synth/dev.jsonl",
          "sst2-synth/test.jsonl",
          "rte-synth/train.jsonl",
          "rte-synth/dev.jsonl",
          "rte-synth/test.jsonl");

  @TempDir Path dir;

  @Test
  void regeneratingWithTheSeedGivesTheCommittedBytes() throws IOException {
    SyntheticTasks.writeAll(dir, SyntheticTasks.DEFAULT_SEED);
    Path committed = TaskTestData.dir("tasks");
    for (String f : FILES) {
      assertThat(Files.readAllBytes(dir.resolve(f)))
          .as(f)
          .isEqualTo(Files.readAllBytes(committed.resolve(f)));
    }
  }

  @Test
  void anotherSeedGivesOtherData() throws IOException {
    SyntheticTasks.writeAll(dir, 7);
    assertThat(Files.readAllBytes(dir.resolve(FILES.get(0))))
        .isNotEqualTo(Files.readAllBytes(TaskTestData.dir("tasks").resolve(FILES.get(0))));
  }

  @Test
  void committedFilesLoadAsSst2AndRte() {
    Path root = TaskTestData.dir("tasks");
    List<TaskExample> sst2 = TaskDatasets.load(MezoTask.SST2, root.resolve(FILES.get(0)));
    List<TaskExample> rte = TaskDatasets.load(MezoTask.RTE, root.resolve(FILES.get(3)));
    assertThat(sst2).hasSize(SyntheticTasks.TRAIN);
    assertThat(rte).hasSize(SyntheticTasks.TRAIN);
    assertThat(TaskDatasets.load(MezoTask.SST2, root.resolve(FILES.get(1))))
        .hasSize(SyntheticTasks.DEV);
    assertThat(TaskDatasets.load(MezoTask.RTE, root.resolve(FILES.get(5))))
        .hasSize(SyntheticTasks.TEST);
    for (List<TaskExample> set : List.of(sst2, rte)) {
      long ones = set.stream().filter(e -> e.label() == 1).count();
      assertThat(ones).isBetween(120L, 180L);
    }
    assertThat(sst2).allSatisfy(e -> assertThat(e.prompt()).matches("[a-z ]+ It was"));
    assertThat(rte)
        .allSatisfy(
            e ->
                assertThat(e.prompt())
                    .matches("[a-z ]+\nDoes this mean that \"[a-z ]+\" is true\\? Yes or No\\?\n"));
    assertThat(sst2.get(0).prompt()).isEqualTo("the acting was beautiful It was");
  }
}
