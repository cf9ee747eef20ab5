package ai.attune.core.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The engine description {@code attune env} prints. */
@Tag("engine")
class EngineReportTest {

  @Test
  void flavorComesFromTheOverrideElseTheLibtorchFolderName() {
    assertThat(EngineReport.flavor(null, "/root/.djl.ai/pytorch/2.7.1-20250812-cpu-linux-x86_64"))
        .isEqualTo("cpu");
    assertThat(EngineReport.flavor("", "/c/pytorch/2.7.1-cu128-linux-x86_64")).isEqualTo("cu128");
    assertThat(EngineReport.flavor("cu128", "/venv/lib/python3.12/site-packages/torch/lib"))
        .isEqualTo("cu128");
    assertThat(EngineReport.flavor(null, "/venv/lib/python3.12/site-packages/torch/lib"))
        .isEqualTo("unknown");
    assertThat(EngineReport.flavor(null, null)).isEqualTo("unknown");
  }

  @Test
  void nativesAreTheTorchAndCudaLibrariesOfTheMapsOnce() {
    List<String> maps =
        List.of(
            "7f00-7f10 r--p 00000000 08:01 1 /root/.djl.ai/pytorch/x/libtorch_cpu.so",
            "7f10-7f20 r-xp 00010000 08:01 1 /root/.djl.ai/pytorch/x/libtorch_cpu.so",
            "7f20-7f30 r-xp 00000000 08:01 2 /root/.djl.ai/pytorch/x/0.36.0-libdjl_torch.so",
            "7f30-7f40 r-xp 00000000 08:01 3 /usr/lib/x86_64-linux-gnu/libc.so.6",
            "7f40-7f50 r-xp 00000000 08:01 4 /usr/lib/x86_64-linux-gnu/libcudart.so.12",
            "7f50-7f60 rw-p 00000000 00:00 0 [heap]",
            "7f60-7f70 r-xp 00000000 08:01 5 /tmp/libtokenizers.so");
    assertThat(EngineReport.nativesIn(maps))
        .containsExactly(
            "/root/.djl.ai/pytorch/x/0.36.0-libdjl_torch.so",
            "/root/.djl.ai/pytorch/x/libtorch_cpu.so",
            "/tmp/libtokenizers.so",
            "/usr/lib/x86_64-linux-gnu/libcudart.so.12");
  }

  @Test
  void theRunningCpuEngineReportsItsLibtorchAndTheNativesItLoaded() {
    EngineReport r = EngineReport.capture();
    assertThat(r.engine()).isEqualTo("PyTorch 2.7.1");
    Path libtorch = Paths.get(r.libtorchPath());
    assertThat(libtorch.resolve("libtorch_cpu.so")).isRegularFile();
    if (System.getenv("PYTORCH_FLAVOR") == null) {
      assertThat(r.flavor()).isEqualTo("cpu");
    }
    assertThat(r.threads()).isPositive();
    assertThat(r.interopThreads()).isPositive();
    assertThat(r.cudaDevices()).hasSize(Engines.gpuCount());
    assertThat(r.nativeLibraries())
        .contains(libtorch.resolve("libtorch_cpu.so").toString())
        .anyMatch(p -> p.endsWith("libdjl_torch.so"));
    assertThat(r.lines())
        .contains("engine: PyTorch 2.7.1", "libtorch: " + r.libtorchPath())
        .anyMatch(l -> l.startsWith("  PYTORCH_LIBRARY_PATH="))
        .contains(
            r.allocator().advice(),
            "host huge pages " + r.hugePages().reason(),
            "host memory trim " + r.mallocTrim().reason(),
            "MKL code path: " + r.mklCodePath().reason(),
            "JIT: " + r.jit().reason());
    // nothing in the test JVM asked for -Dattune.jit: the JVM's own compilers
    assertThat(r.jit()).isEqualTo(QuickJit.current());
    assertThat(r.jit().reason()).startsWith("C2 on");
    assertThat(r.hugePages()).isEqualTo(Engines.hugePages());
    assertThat(r.mallocTrim()).isEqualTo(Engines.mallocTrim());
    assertThat(r.mklCodePath()).isEqualTo(Engines.mklCodePath());
    assertThat(r.allocator()).isEqualTo(NativeAllocator.inProcess());
  }
}
