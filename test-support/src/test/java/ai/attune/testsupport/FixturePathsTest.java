package ai.attune.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Fixture paths come from {@code -Dattune.testData}, and a missing one is named. */
@Tag("pure")
class FixturePathsTest {

  @Test
  void theRootIsTheFolderThePomNames() {
    Path root = FixturePaths.root();
    assertThat(root)
        .isAbsolute()
        .isDirectory()
        .isEqualTo(Path.of(System.getProperty(FixturePaths.PROPERTY)).toAbsolutePath().normalize());
    assertThat(root.getFileName()).hasToString("src-test-data");
    assertThat(FixturePaths.projectRoot().resolve("pom.xml")).isRegularFile();
  }

  @Test
  void ofResolvesNestedNamesUnderTheRoot() {
    assertThat(FixturePaths.of("opt-tiny", "config.json"))
        .isEqualTo(FixturePaths.root().resolve("opt-tiny/config.json"))
        .isRegularFile();
  }

  @Test
  void aMissingFixtureIsNamed() {
    assertThatThrownBy(() -> FixturePaths.of("no-such-model"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no-such-model")
        .hasMessageContaining("does not exist");
  }
}
