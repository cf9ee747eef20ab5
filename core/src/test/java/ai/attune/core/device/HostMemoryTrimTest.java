package ai.attune.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
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
        .contains("every 500 ms", "malloc_trim", "-Dattune.malloc_trim=false");
    assertThat(HostMemoryTrim.decide(" true ", GLIBC).enabled()).isTrue();
    assertThat(HostMemoryTrim.decide("false", GLIBC))
        .isEqualTo(HostMemoryTrim.Decision.off("-Dattune.malloc_trim=false"));
    assertThat(on.period()).isEqualTo(HostMemoryTrim.PERIOD);
  }

  @Test
  void aNumberIsThePeriodInMilliseconds() {
    HostMemoryTrim.Decision d = HostMemoryTrim.decide("250", GLIBC);
    assertThat(d.period()).isEqualTo(Duration.ofMillis(250));
    assertThat(d.reason()).contains("every 250 ms");
    assertThatThrownBy(() -> HostMemoryTrim.decide("0", GLIBC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "-Dattune.malloc_trim=0: expected true, false or a period in milliseconds (such as"
                + " 500)");
    assertThatThrownBy(() -> HostMemoryTrim.decide("often", GLIBC))
        .hasMessageStartingWith("-Dattune.malloc_trim=often: expected");
  }

  @Test
  void offUnderAnotherAllocator() {
    HostMemoryTrim.Decision tcmalloc =
        HostMemoryTrim.decide(null, new NativeAllocator("tcmalloc", "/usr/lib/libtcmalloc.so.4"));
    assertThat(tcmalloc)
        .isEqualTo(
            HostMemoryTrim.Decision.off(
                "the host allocator is tcmalloc, which returns freed memory itself"));
    assertThat(HostMemoryTrim.decide(null, new NativeAllocator(NativeAllocator.UNKNOWN, "")))
        .isEqualTo(HostMemoryTrim.Decision.off("the host allocator is unknown"));
  }
}
