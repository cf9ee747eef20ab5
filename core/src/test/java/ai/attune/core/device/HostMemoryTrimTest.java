package ai.attune.core.device;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** When Attune hands glibc's freed host memory back to the kernel, and when not. */
@Tag("pure")
class HostMemoryTrimTest {
  private static final NativeAllocator GLIBC =
      new NativeAllocator(NativeAllocator.GLIBC, "/lib/x86_64-linux-gnu/libc.so.6");

  @Test
  void onUnderGlibcUnlessTurnedOff() {
    HostMemoryTrim.Decision on = HostMemoryTrim.decide(null, GLIBC);
    assertThat(on.enabled()).isTrue();
    assertThat(on.reason())
        .startsWith("on:")
        .contains("every 250 ms", "malloc_trim", "-Dattune.malloc_trim=false");
    assertThat(HostMemoryTrim.decide(" true ", GLIBC).enabled()).isTrue();
    assertThat(HostMemoryTrim.decide("false", GLIBC))
        .isEqualTo(new HostMemoryTrim.Decision(false, "off: -Dattune.malloc_trim=false"));
  }

  @Test
  void offUnderAnotherAllocator() {
    HostMemoryTrim.Decision tcmalloc =
        HostMemoryTrim.decide(null, new NativeAllocator("tcmalloc", "/usr/lib/libtcmalloc.so.4"));
    assertThat(tcmalloc)
        .isEqualTo(
            new HostMemoryTrim.Decision(
                false, "off: the host allocator is tcmalloc, which returns freed memory itself"));
    assertThat(HostMemoryTrim.decide(null, new NativeAllocator(NativeAllocator.UNKNOWN, "")))
        .isEqualTo(new HostMemoryTrim.Decision(false, "off: the host allocator is unknown"));
  }
}
