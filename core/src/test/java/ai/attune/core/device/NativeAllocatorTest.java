package ai.attune.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Which C allocator serves libtorch's host memory, read from the process's mapped libraries. */
@Tag("pure")
class NativeAllocatorTest {
  private static final String LIBC =
      "7f30-7f40 r-xp 00000000 08:01 3 /usr/lib/x86_64-linux-gnu/libc.so.6";
  private static final String TORCH =
      "7f00-7f10 r-xp 00010000 08:01 1 /root/.djl.ai/pytorch/x/libtorch_cpu.so";

  @Test
  void aPreloadedTcmallocJemallocOrMimallocIsTheAllocator() {
    String tc = "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4.5.10";
    assertThat(
            NativeAllocator.fromMaps(List.of("7e00-7e10 r-xp 00000000 08:01 9 " + tc, LIBC, TORCH)))
        .isEqualTo(new NativeAllocator("tcmalloc", tc));
    assertThat(
            NativeAllocator.fromMaps(List.of(LIBC, "7e00 r-xp 0 0:0 9 /opt/lib/libjemalloc.so.2"))
                .name())
        .isEqualTo("jemalloc");
    assertThat(
            NativeAllocator.fromMaps(List.of("7e00 r-xp 0 0:0 9 /x/libmimalloc-secure.so.2.1"))
                .name())
        .isEqualTo("mimalloc");
  }

  @Test
  void withoutOneItIsGlibcWhenTheCLibraryIsMappedElseUnknown() {
    NativeAllocator glibc =
        NativeAllocator.fromMaps(List.of(TORCH, "7f50-7f60 rw-p 00000000 00:00 0 [heap]", LIBC));
    assertThat(glibc.name()).isEqualTo(NativeAllocator.GLIBC);
    assertThat(glibc.library()).isEqualTo("/usr/lib/x86_64-linux-gnu/libc.so.6");
    assertThat(glibc.isGlibc()).isTrue();
    assertThat(NativeAllocator.fromMaps(List.of("7e00 r-xp 0 0:0 9 /lib64/libc-2.17.so")).isGlibc())
        .isTrue();
    assertThat(NativeAllocator.fromMaps(List.of(TORCH)).name()).isEqualTo(NativeAllocator.UNKNOWN);
    assertThat(NativeAllocator.fromMaps(List.of()).library()).isEmpty();
  }

  @Test
  void adviceNamesThePreloadForGlibcAndOnlyTheAllocatorOtherwise() {
    NativeAllocator glibc = new NativeAllocator(NativeAllocator.GLIBC, "/lib/libc.so.6");
    assertThat(glibc.advice())
        .startsWith("host allocator: glibc malloc;")
        .contains(
            "LD_PRELOAD=" + NativeAllocator.tcmallocPath(System.getProperty("os.arch")),
            "libtcmalloc-minimal4");
    assertThat(NativeAllocator.TCMALLOC_PATH)
        .isEqualTo("/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4")
        .isEqualTo(NativeAllocator.tcmallocPath("x86_64"));
    assertThat(NativeAllocator.tcmallocPath("aarch64"))
        .isEqualTo("/usr/lib/aarch64-linux-gnu/libtcmalloc_minimal.so.4");
    assertThat(new NativeAllocator("tcmalloc", "/l/libtcmalloc.so.4").advice())
        .isEqualTo("host allocator: tcmalloc (/l/libtcmalloc.so.4)")
        .doesNotContain("LD_PRELOAD");
  }

  @Test
  void thisProcessHasAnAnswerAndBadComponentsAreRefused() {
    NativeAllocator here = NativeAllocator.inProcess();
    assertThat(here.name())
        .isIn(NativeAllocator.GLIBC, NativeAllocator.UNKNOWN, "tcmalloc", "jemalloc", "mimalloc");
    if (System.getProperty("os.name").startsWith("Linux")) {
      assertThat(here.name()).isNotEqualTo(NativeAllocator.UNKNOWN);
      assertThat(here.library()).startsWith("/");
    }
    assertThatThrownBy(() -> new NativeAllocator(" ", ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new NativeAllocator("glibc malloc", null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
