package ai.attune.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.file.Paths;

/** The shared, read-only HF reference fixtures (never copied). */
final class Fixtures {
  private Fixtures() {}

  /** {@code -Dattune.sharedFixtures=...}, else {@code ../../shared/fixtures/hf-tiny} from core/. */
  static Path hfTiny() {
    Path dir =
        Paths.get(System.getProperty("attune.sharedFixtures", "../../shared/fixtures/hf-tiny"))
            .toAbsolutePath()
            .normalize();
    assertThat(dir)
        .as("shared HF fixtures folder (set -Dattune.sharedFixtures=<dir> to move it)")
        .isDirectory();
    return dir;
  }
}
