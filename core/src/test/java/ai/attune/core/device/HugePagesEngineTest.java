package ai.attune.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Huge pages really reach libtorch: a fresh JVM that starts the engine through {@link Engines}
 * holds a 64 MiB tensor on transparent huge pages, and one started with {@code
 * -Dattune.huge_pages=false} does not. A fresh JVM, because libtorch reads the variable at its
 * first allocation, which in this test JVM may have come before.
 */
@Tag("engine")
class HugePagesEngineTest {
  private static final long TENSOR_KIB = 64 * 1024;

  @Test
  void aFreshEngineHoldsABigTensorOnHugePagesUnlessTurnedOff() throws Exception {
    assumeTrue(
        Files.isReadable(HugePages.KERNEL_MODE)
            && Files.readString(HugePages.KERNEL_MODE).matches("(?s).*\\[(always|madvise)\\].*"),
        "the kernel offers transparent huge pages");
    List<String> on = probe();
    assertThat(on).contains("decision true sum 1.6777216E7");
    assertThat(anonHugeKib(on))
        .as("AnonHugePages growth, KiB")
        .isGreaterThanOrEqualTo(TENSOR_KIB / 2);

    List<String> off = probe("-D" + HugePages.PROPERTY + "=false");
    assertThat(off).contains("decision false sum 1.6777216E7");
    assertThat(anonHugeKib(off)).as("AnonHugePages growth, KiB").isLessThan(TENSOR_KIB / 2);
  }

  private static long anonHugeKib(List<String> out) {
    return out.stream()
        .filter(l -> l.startsWith("anon-huge-kib "))
        .mapToLong(l -> Long.parseLong(l.substring("anon-huge-kib ".length())))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no anon-huge-kib line in " + out));
  }

  private static List<String> probe(String... jvmOptions) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    cmd.addAll(List.of(jvmOptions));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
    cmd.add(HugePagesProbe.class.getName());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove(HugePages.VARIABLE);
    pb.environment().remove("LD_PRELOAD"); // glibc's malloc, where the decision is on
    Process p = pb.start();
    boolean done = p.waitFor(3, TimeUnit.MINUTES);
    if (!done) {
      p.destroyForcibly();
    }
    List<String> out = new String(p.getInputStream().readAllBytes()).lines().toList();
    assertThat(done && p.exitValue() == 0)
        .as("the probe finished cleanly; its output:%n%s", String.join("\n", out))
        .isTrue();
    return out;
  }
}
