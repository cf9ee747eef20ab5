package ai.attune.iapo.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locates {@code src-test-data/}. */
public final class IapoTestData {
  private IapoTestData() {}

  /** The folder {@code name} under {@code src-test-data/}. */
  public static Path dir(String name) {
    String root = System.getProperty("attune.testData", "../src-test-data");
    Path dir = Paths.get(root).resolve(name).toAbsolutePath().normalize();
    assertThat(Files.isDirectory(dir)).as("test data %s exists", dir).isTrue();
    return dir;
  }
}
