package ai.attune.core.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.file.Paths;

/** The HF reference fixtures copied into the project's {@code src-test-data/}. */
final class Fixtures {
  private Fixtures() {}

  /** {@code -Dattune.testData=...} (set by the build), else {@code ../src-test-data} from core/. */
  static Path hfTiny() {
    Path dir = Paths.get(System.getProperty("attune.testData", "../src-test-data"))
        .toAbsolutePath()
        .normalize();
    assertThat(dir).as("test data folder src-test-data").isDirectory();
    return dir;
  }
}
