package ai.attune.core.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Finding MKL's vendor-check cache from the check's first instruction and the process's maps. */
@Tag("pure")
class MklVendorCheckTest {
  /** The first ten bytes of mkl_serv_intel_cpu_true in DJL's libtorch 2.7.1 (objdump). */
  private static final byte[] CHECK =
      bytes(0x8b, 0x05, 0xba, 0xb4, 0x82, 0x09, 0x85, 0xc0, 0x78, 0x01);

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  @Test
  void theCacheIsWhereTheFirstInstructionReads() {
    // objdump: at b466e70, "mov 0x982b4ba(%rip),%eax # 14c92330 <mkl_serv_intel_cpu_true.cached>"
    assertThat(MklVendorCheck.cacheAddress(CHECK, 0xb466e70L)).hasValue(0x14c92330L);
    byte[] negative = CHECK.clone();
    negative[5] = (byte) 0xff; // displacement 0xff82b4ba: backwards
    assertThat(MklVendorCheck.cacheAddress(negative, 0x100000000L))
        .hasValue(0x100000000L + 6 - 0x7d4b46L);
  }

  @Test
  void anyOtherCodeIsLeftAlone() {
    for (int at : new int[] {0, 1, 6, 7, 8}) {
      byte[] other = CHECK.clone();
      other[at] ^= 0x10;
      assertThat(MklVendorCheck.cacheAddress(other, 0xb466e70L)).as("byte %d", at).isEmpty();
    }
    assertThat(MklVendorCheck.cacheAddress(bytes(0x8b, 0x05, 0, 0), 0)).isEmpty();
  }

  private static final List<String> MAPS =
      List.of(
          "7f0000000000-7f0000400000 r--p 00000000 08:01 42  /opt/lib/libtorch_cpu.so",
          "7f0000400000-7f0000800000 r-xp 00400000 08:01 42  /opt/lib/libtorch_cpu.so",
          "7f0000800000-7f0000900000 rw-p 00800000 08:01 42  /opt/lib/libtorch_cpu.so",
          "7f0000900000-7f0000a00000 rw-p 00000000 00:00 0 ",
          "7f0001000000-7f0001100000 r-xp 00000000 08:01 43  /opt/lib/libtorch_cpu.so.bak");

  @Test
  void theLibraryAndItsWritableMappingsComeFromTheMaps() {
    assertThat(MklVendorCheck.loadedLibrary(MAPS)).contains("/opt/lib/libtorch_cpu.so");
    assertThat(MklVendorCheck.loadedLibrary(MAPS.subList(4, 5))).isEmpty();
    assertThat(MklVendorCheck.writable(MAPS, 0x7f0000800010L, 4)).isTrue();
    assertThat(MklVendorCheck.writable(MAPS, 0x7f0000900000L, 4)).isTrue(); // the library's bss
    assertThat(MklVendorCheck.writable(MAPS, 0x7f0000400010L, 4)).isFalse(); // code
    assertThat(MklVendorCheck.writable(MAPS, 0x7f0000a00000L - 2, 4)).isFalse(); // past the end
    assertThat(MklVendorCheck.writable(MAPS, 0x7f0002000000L, 4)).isFalse();
  }
}
