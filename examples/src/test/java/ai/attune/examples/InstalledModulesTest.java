package ai.attune.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.testsupport.FixturePaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./mvnw install} makes the modules usable from another Maven project: a copy of the
 * project's sources is installed into a temporary local repository (the user's {@code ~/.m2} serves
 * as a read-only tail, so no Attune snapshot lands there), then the tiny project under {@code
 * src/test/resources/external-project} compiles against {@code attune-grzo} and runs a test that
 * loads the tiny OPT and checks its per-example loss against transformers'.
 */
@Tag("slow")
class InstalledModulesTest {
  private static final Path M2 = Paths.get(System.getProperty("user.home"), ".m2", "repository");
  private static final List<String> MODULES =
      List.of("test-support", "core", "models", "grzo", "iapo", "spark", "examples");

  @TempDir Path tmp;

  @Test
  void anExternalProjectBuildsAndRunsAgainstTheInstalledModules() throws Exception {
    long started = System.currentTimeMillis() - 1000;
    Path root = FixturePaths.projectRoot();
    Path copy = tmp.resolve("attune");
    copySources(root, copy);
    Path repo = tmp.resolve("repo");
    String version = parentVersion(root.resolve("pom.xml"));

    maven(copy, copy, repo, "install", "-DskipTests", "-pl", "grzo", "-am");
    Path installed = repo.resolve("ai/attune");
    for (String module : List.of("core", "models", "grzo")) {
      Path dir = installed.resolve("attune-" + module).resolve(version);
      String base = "attune-" + module + "-" + version;
      assertThat(dir.resolve(base + ".jar")).isRegularFile();
      assertThat(dir.resolve(base + "-sources.jar")).isRegularFile();
      assertThat(dir.resolve(base + "-javadoc.jar")).isRegularFile();
      assertThat(Files.readString(dir.resolve(base + ".pom")))
          .as("%s must not force the CPU libtorch on its users", module)
          .doesNotContain("pytorch-native-cpu");
    }
    assertThat(writtenSince(M2.resolve("ai/attune"), started))
        .as("Attune files written into ~/.m2 by this test")
        .isEmpty();

    Path external = tmp.resolve("external");
    copyTree(root.resolve("examples/src/test/resources/external-project"), external);
    maven(
        copy,
        external,
        repo,
        "test",
        "-Dattune.version=" + version,
        "-Dmodel=" + FixturePaths.of("opt-tiny"));
    assertThat(external.resolve("target/surefire-reports/TEST-demo.TinyOptLossTest.xml"))
        .content()
        .contains("tests=\"1\"")
        .contains("failures=\"0\"")
        .contains("errors=\"0\"");
  }

  private static List<Path> writtenSince(Path dir, long millis) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(dir)) {
      List<Path> recent = new ArrayList<>();
      for (Path p : (Iterable<Path>) all::iterator) {
        if (Files.isRegularFile(p) && Files.getLastModifiedTime(p).toMillis() >= millis) {
          recent.add(p);
        }
      }
      return recent;
    }
  }

  /** The build files and main sources, without targets, tests or fixtures. */
  private static void copySources(Path root, Path copy) throws IOException {
    for (String f : List.of("pom.xml", "mvnw", ".mvn")) {
      copyTree(root.resolve(f), copy.resolve(f));
    }
    copy.resolve("mvnw").toFile().setExecutable(true);
    for (String m : MODULES) {
      copyTree(root.resolve(m).resolve("pom.xml"), copy.resolve(m).resolve("pom.xml"));
      copyTree(root.resolve(m).resolve("src/main"), copy.resolve(m).resolve("src/main"));
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    if (!Files.exists(from)) {
      return;
    }
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static String parentVersion(Path pom) throws IOException {
    Matcher m =
        Pattern.compile("<artifactId>attune-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Files.readString(pom));
    assertThat(m.find()).as("version of attune-parent in %s", pom).isTrue();
    return m.group(1);
  }

  /** Runs the copy's Maven wrapper offline in {@code dir}, installing into {@code repo} only. */
  private static void maven(Path copy, Path dir, Path repo, String... goals) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                copy.resolve("mvnw").toString(),
                "-B",
                "-q",
                "-o",
                "-f",
                dir.resolve("pom.xml").toString(),
                "-Dmaven.repo.local=" + repo,
                "-Dmaven.repo.local.tail=" + M2));
    cmd.addAll(List.of(goals));
    Path log = dir.getParent().resolve(dir.getFileName() + "-maven.log");
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean done = p.waitFor(20, TimeUnit.MINUTES);
    if (!done) {
      p.destroyForcibly();
    }
    assertThat(done && p.exitValue() == 0)
        .as("%s failed:%n%s", String.join(" ", cmd), tail(log))
        .isTrue();
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
