package ai.attune.grzo.tasks;

import ai.attune.testsupport.FixturePaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates {@code src-test-data/} and writes inline JSONL samples. */
final class TaskTestData {
  private TaskTestData() {}

  /** The file or folder {@code name} under {@code src-test-data/}. */
  static Path dir(String name) {
    return FixturePaths.of(name);
  }

  /** Writes {@code lines} (one JSON object each) to {@code dir/name}. */
  static Path jsonl(Path dir, String name, String... lines) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return file;
  }
}
