package ai.attune.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A resumed run's JSONL files go back to the lines its checkpoint counted, or say why not. */
@Tag("pure")
class JsonlFilesTest {
  @TempDir Path tmp;

  @Test
  void keepsTheCountedLinesAndDropsTheRest() throws IOException {
    Path f = tmp.resolve("metrics.jsonl");
    Files.writeString(f, "{\"step\":1}\n{\"step\":2}\n{\"step\":3}\n{\"step\":4, \"torn\"");
    JsonlFiles.keepLines(f, 2);
    assertThat(Files.readString(f)).isEqualTo("{\"step\":1}\n{\"step\":2}\n");
    JsonlFiles.keepLines(f, 2);
    assertThat(Files.readString(f)).isEqualTo("{\"step\":1}\n{\"step\":2}\n");
    JsonlFiles.keepLines(f, 0);
    assertThat(f).isEmptyFile();
  }

  @Test
  void aMissingOrShortFileIsAnErrorNamingIt() throws IOException {
    Path missing = tmp.resolve("eval.jsonl");
    JsonlFiles.keepLines(missing, 0);
    assertThat(missing).doesNotExist();
    assertThatThrownBy(() -> JsonlFiles.keepLines(missing, 3))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("3 lines");
    Path shortFile = tmp.resolve("seed_log.jsonl");
    Files.writeString(shortFile, "{}\n");
    assertThatThrownBy(() -> JsonlFiles.keepLines(shortFile, 2))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(shortFile + " has fewer lines than the 2");
    assertThat(Files.readString(shortFile)).isEqualTo("{}\n");
  }
}
