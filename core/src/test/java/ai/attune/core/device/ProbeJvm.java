package ai.attune.core.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a probe main in a JVM of its own, for tests of what Attune decides once per process when the
 * engine starts: glibc's malloc (no {@code LD_PRELOAD}) and no {@value HugePages#VARIABLE} or
 * {@value MklCodePath#VARIABLE} of the caller's, so the decisions are Attune's own.
 */
final class ProbeJvm {
  private ProbeJvm() {}

  /** The probe's output lines; fails unless it exits 0 within three minutes. */
  static List<String> run(Class<?> main, String... jvmOptions) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    cmd.addAll(List.of(jvmOptions));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
    cmd.add(main.getName());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove(HugePages.VARIABLE);
    pb.environment().remove(MklCodePath.VARIABLE);
    pb.environment().remove("LD_PRELOAD");
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

  /** The number after {@code key + " "} on the first output line that starts with it. */
  static long value(List<String> out, String key) {
    return out.stream()
        .filter(l -> l.startsWith(key + " "))
        .mapToLong(l -> Long.parseLong(l.substring(key.length() + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + key + " line in " + out));
  }

  /** A {@code Field: N kB} figure of this process, from {@code /proc/self/<file>}. */
  static long procKib(String file, String field) throws Exception {
    return Files.readAllLines(Paths.get("/proc/self", file)).stream()
        .filter(l -> l.startsWith(field + ":"))
        .mapToLong(l -> Long.parseLong(l.replaceAll("\\D+", "")))
        .sum();
  }
}
