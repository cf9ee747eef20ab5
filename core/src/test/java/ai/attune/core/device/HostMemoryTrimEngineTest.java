package ai.attune.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The trim thread really hands glibc's freed host memory back: in a fresh JVM started through
 * {@link Engines}, 32 MiB of freed 1 MiB tensors between live ones leave resident memory within
 * three trim periods, and with {@code -Dattune.malloc_trim=false} they stay. A fresh JVM, because
 * the decision is made once per process, when the engine starts.
 */
@Tag("engine")
class HostMemoryTrimEngineTest {
  private static final long FREED_KIB = HostMemoryTrimProbe.HOLES * 1024L;

  @Test
  void freedTensorsLeaveResidentMemoryUnlessTurnedOff() throws Exception {
    assumeTrue(NativeAllocator.inProcess().isGlibc(), "glibc's malloc serves this JVM");
    List<String> on = ProbeJvm.run(HostMemoryTrimProbe.class);
    assertThat(on).contains("decision true kept " + (float) (HostMemoryTrimProbe.HOLES << 18));
    assertThat(ProbeJvm.value(on, "released-kib"))
        .as("resident KiB released")
        .isGreaterThanOrEqualTo(FREED_KIB / 2);

    List<String> off =
        ProbeJvm.run(HostMemoryTrimProbe.class, "-D" + HostMemoryTrim.PROPERTY + "=false");
    assertThat(off).contains("decision false kept " + (float) (HostMemoryTrimProbe.HOLES << 18));
    assertThat(ProbeJvm.value(off, "released-kib"))
        .as("resident KiB released")
        .isLessThan(FREED_KIB / 4);
  }
}
