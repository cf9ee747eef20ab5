package ai.attune.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.util.List;
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
    List<String> on = ProbeJvm.run(HugePagesProbe.class);
    assertThat(on).contains("decision true sum 1.6777216E7");
    assertThat(ProbeJvm.value(on, "anon-huge-kib"))
        .as("AnonHugePages growth, KiB")
        .isGreaterThanOrEqualTo(TENSOR_KIB / 2);

    List<String> off = ProbeJvm.run(HugePagesProbe.class, "-D" + HugePages.PROPERTY + "=false");
    assertThat(off).contains("decision false sum 1.6777216E7");
    assertThat(ProbeJvm.value(off, "anon-huge-kib"))
        .as("AnonHugePages growth, KiB")
        .isLessThan(TENSOR_KIB / 2);
  }
}
