package ai.attune.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The one way tests find the fixtures under {@code src-test-data/}: the folder named by the system
 * property {@value #PROPERTY}, which the parent pom sets for every module's tests. Run outside
 * Maven (an IDE), the nearest {@code src-test-data} folder at or above the working directory is
 * used.
 */
public final class FixturePaths {
  /** The system property that names the fixtures folder. */
  public static final String PROPERTY = "attune.testData";

  private static final String FOLDER = "src-test-data";

  private FixturePaths() {}

  /** The fixtures folder, absolute; fails with the path it tried when it is missing. */
  public static Path root() {
    String configured = System.getProperty(PROPERTY);
    Path dir = configured != null ? Paths.get(configured) : nearestAbove(workingDir());
    dir = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          "fixtures folder "
              + dir
              + " does not exist (from "
              + (configured != null ? "-D" + PROPERTY : "the working directory " + workingDir())
              + ")");
    }
    return dir;
  }

  /**
   * The file or folder {@code first/more...} under the fixtures folder, such as {@code
   * of("opt-tiny")} or {@code of("tasks", "sst2-synth", "train.jsonl")}; fails naming the path when
   * it does not exist.
   */
  public static Path of(String first, String... more) {
    Path p = root().resolve(Paths.get(first, more)).normalize();
    if (!Files.exists(p)) {
      throw new IllegalStateException("fixture " + p + " does not exist");
    }
    return p;
  }

  /** The checkout's root folder: the one that holds {@code src-test-data/}. */
  public static Path projectRoot() {
    return root().getParent();
  }

  private static Path workingDir() {
    return Paths.get(System.getProperty("user.dir")).toAbsolutePath();
  }

  private static Path nearestAbove(Path start) {
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve(FOLDER))) {
        return p.resolve(FOLDER);
      }
    }
    return start.resolve(FOLDER);
  }
}
