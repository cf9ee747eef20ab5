package ai.attune.core.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** When Attune turns on transparent huge pages for libtorch's host tensors, and when not. */
@Tag("pure")
class HugePagesTest {
  private static final Optional<String> MADVISE = Optional.of("always [madvise] never");
  private static final NativeAllocator GLIBC =
      new NativeAllocator(NativeAllocator.GLIBC, "/lib/x86_64-linux-gnu/libc.so.6");
  private static final NativeAllocator TCMALLOC =
      new NativeAllocator("tcmalloc", "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4");

  @Test
  void onWhereTheKernelOffersThemAlwaysOrOnRequest() {
    HugePages.Decision d = HugePages.decide(null, null, GLIBC, MADVISE);
    assertThat(d.enabled()).isTrue();
    assertThat(d.reason())
        .startsWith("on:")
        .contains("THP_MEM_ALLOC_ENABLE=1", "kernel mode madvise", "-Dattune.huge_pages=false");
    assertThat(
            HugePages.decide("true", null, GLIBC, Optional.of("[always] madvise never")).enabled())
        .isTrue();
  }

  @Test
  void theUsersVariableWinsEitherWay() {
    HugePages.Decision off = HugePages.decide(null, "0", GLIBC, MADVISE);
    assertThat(off.enabled()).isFalse();
    assertThat(off.reason()).isEqualTo("off: THP_MEM_ALLOC_ENABLE=0 was set by the user");
    HugePages.Decision on =
        HugePages.decide("false", "1", TCMALLOC, Optional.of("always madvise [never]"));
    assertThat(on.enabled()).isTrue();
    assertThat(on.reason()).isEqualTo("on: THP_MEM_ALLOC_ENABLE=1 was set by the user");
  }

  @Test
  void offUnderAPreloadedAllocatorUnlessTheUserAsks() {
    HugePages.Decision d = HugePages.decide(null, null, TCMALLOC, MADVISE);
    assertThat(d.enabled()).isFalse();
    assertThat(d.reason()).startsWith("off: tcmalloc is preloaded");
    assertThat(HugePages.decide(null, "1", TCMALLOC, MADVISE).enabled()).isTrue();
    assertThat(
            HugePages.decide(null, null, new NativeAllocator(NativeAllocator.UNKNOWN, ""), MADVISE)
                .enabled())
        .isTrue();
  }

  @Test
  void offWhenTurnedOffOrWhenTheKernelHasNone() {
    assertThat(HugePages.decide("false", null, GLIBC, MADVISE))
        .isEqualTo(new HugePages.Decision(false, "off: -Dattune.huge_pages=false"));
    HugePages.Decision never =
        HugePages.decide(null, null, GLIBC, Optional.of("always madvise [never]"));
    assertThat(never.enabled()).isFalse();
    assertThat(never.reason()).contains("'never'", "/sys/kernel/mm/transparent_hugepage/enabled");
    HugePages.Decision none = HugePages.decide(null, null, GLIBC, Optional.empty());
    assertThat(none.enabled()).isFalse();
    assertThat(none.reason()).contains("not Linux");
  }
}
