package ai.attune.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.pytorch.jni.LibUtils;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

  @Test
  void theCommandLineKeepsC2OffUnlessTheJitPropertySaysFull() throws Exception {
    GrzoCliTest.Run quick = GrzoCliTest.runInChildJvm(List.of(), "env");
    assertThat(quick.code()).as(quick.err()).isZero();
    assertThat(quick.out()).contains("JIT: C2 kept off (a compiler directive");

    GrzoCliTest.Run full = GrzoCliTest.runInChildJvm(List.of("-Dattune.jit=full"), "env");
    assertThat(full.code()).as(full.err()).isZero();
    assertThat(full.out()).contains("JIT: C2 on (-Dattune.jit=full)");

    GrzoCliTest.Run bad = GrzoCliTest.runInChildJvm(List.of("-Dattune.jit=c1"), "env");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err())
        .contains("error: -Dattune.jit=c1: expected quick (C2 kept off) or full (the JVM's C2)");
    assertThat(bad.out()).doesNotContain("engine: PyTorch");
  }
}
