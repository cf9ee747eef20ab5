package ai.attune.core.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** When Attune turns on transparent huge pages for libtorch's host tensors, and when not. */
@Tag("pure")
class HugePagesTest {
  private static final Optional<String> MADVISE = Optional.of("always [madvise] never");

  @Test
  void onWhereTheKernelOffersThemAlwaysOrOnRequest() {
    HugePages.Decision d = HugePages.decide(null, null, MADVISE);
    assertThat(d.enabled()).isTrue();
    assertThat(d.reason())
        .startsWith("on:")
        .contains("THP_MEM_ALLOC_ENABLE=1", "kernel mode madvise", "-Dattune.huge_pages=false");
    assertThat(HugePages.decide("true", null, Optional.of("[always] madvise never")).enabled())
        .isTrue();
  }

  @Test
  void theUsersVariableWinsEitherWay() {
    HugePages.Decision off = HugePages.decide(null, "0", MADVISE);
    assertThat(off.enabled()).isFalse();
    assertThat(off.reason()).isEqualTo("off: THP_MEM_ALLOC_ENABLE=0 was set by the user");
    HugePages.Decision on = HugePages.decide("false", "1", Optional.of("always madvise [never]"));
    assertThat(on.enabled()).isTrue();
    assertThat(on.reason()).isEqualTo("on: THP_MEM_ALLOC_ENABLE=1 was set by the user");
  }

  @Test
  void offWhenTurnedOffOrWhenTheKernelHasNone() {
    assertThat(HugePages.decide("false", null, MADVISE))
        .isEqualTo(new HugePages.Decision(false, "off: -Dattune.huge_pages=false"));
    HugePages.Decision never = HugePages.decide(null, null, Optional.of("always madvise [never]"));
    assertThat(never.enabled()).isFalse();
    assertThat(never.reason()).contains("'never'", "/sys/kernel/mm/transparent_hugepage/enabled");
    HugePages.Decision none = HugePages.decide(null, null, Optional.empty());
    assertThat(none.enabled()).isFalse();
    assertThat(none.reason()).contains("not Linux");
  }
}
