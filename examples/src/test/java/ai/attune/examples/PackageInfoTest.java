package ai.attune.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.testsupport.FixturePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every package of every module's main sources says what it is in a {@code package-info.java}. */
@Tag("pure")
class PackageInfoTest {
  @Test
  void everyMainPackageHasAPackageInfo() throws IOException {
    Path root = FixturePaths.projectRoot();
    List<Path> packages;
    try (Stream<Path> files = Files.walk(root)) {
      packages =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> p.toString().contains("/src/main/java/"))
              .filter(p -> !p.toString().contains("/target/"))
              .map(Path::getParent)
              .distinct()
              .toList();
    }
    assertThat(packages).hasSizeGreaterThan(30);
    assertThat(packages)
        .filteredOn(dir -> !Files.isRegularFile(dir.resolve("package-info.java")))
        .map(root::relativize)
        .isEmpty();
  }
}
