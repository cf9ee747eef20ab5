package ai.attune.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.pytorch.jni.LibUtils;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code attune env} on the CPU libtorch the CLI bundles. */
@Tag("e2e")
class EnvCommandTest {

  @Test
  void envPrintsTheEngineLibtorchFlavourThreadsAndLoadedNatives() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = AttuneCli.run("env");
    } finally {
      System.setOut(old);
    }
    assertThat(code).isZero();
    String printed = buf.toString(StandardCharsets.UTF_8);
    String libtorch = LibUtils.getLibtorchPath();
    assertThat(printed)
        .contains("engine: PyTorch 2.7.1\n")
        .contains("libtorch: " + libtorch + "\n")
        .containsPattern("cuda devices: \\d+\n")
        .containsPattern("threads: [1-9]\\d* intra-op, [1-9]\\d* inter-op\n")
        .contains("  " + libtorch + "/libtorch_cpu.so\n")
        .containsPattern("  \\S+libdjl_torch\\.so\n")
        .contains("  PYTORCH_LIBRARY_PATH=");
    if (System.getenv("PYTORCH_FLAVOR") == null) {
      assertThat(printed).contains("flavor: cpu\n");
    }
  }

  /** {@code java [options] AttuneCli env} in a JVM of its own: exit code and output. */
  private static String[] cli(String... jvmOptions) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Dai.djl.offline=true");
    cmd.addAll(List.of(jvmOptions));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), AttuneCli.class.getName()));
    cmd.add("env");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).as(out).isTrue();
    return new String[] {String.valueOf(p.exitValue()), out};
  }

  @Test
  void theCommandLineKeepsC2OffUnlessTheJitPropertySaysFull() throws Exception {
    String[] quick = cli();
    assertThat(quick[0]).as(quick[1]).isEqualTo("0");
    assertThat(quick[1]).contains("JIT: C2 kept off (a compiler directive");

    String[] full = cli("-Dattune.jit=full");
    assertThat(full[0]).as(full[1]).isEqualTo("0");
    assertThat(full[1]).contains("JIT: C2 on (-Dattune.jit=full)");

    String[] bad = cli("-Dattune.jit=c1");
    assertThat(bad[0]).isEqualTo("2");
    assertThat(bad[1])
        .contains("error: -Dattune.jit=c1: expected quick (C2 kept off) or full (the JVM's C2)")
        .doesNotContain("engine: PyTorch");
  }
}
