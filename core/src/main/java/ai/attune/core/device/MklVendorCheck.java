package ai.attune.core.device;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * MKL's vendor check inside the loaded libtorch, answered "Intel" before MKL first asks it.
 *
 * <p>MKL chooses its matrix-product kernels in two steps: {@code mkl_serv_intel_cpu_true} asks
 * whether the processor is an Intel one (CPUID's vendor string), and only then does MKL pick among
 * its AVX2 and AVX-512 kernels by the processor's features. On an AMD processor the first answer is
 * no, and MKL runs its default kernels, or with {@code MKL_CBWR=AVX2} its reproducible AVX2 ones.
 * The function caches its answer in a static int, -1 until the first call. Setting that int to 1
 * before the first product lets MKL pick by features as it does on Intel processors: on the 2-core
 * AMD EPYC of {@code docs/grzo.md} ("MKL on AMD processors") the head product at shape c took
 * 0.84–0.92 ms against 2.1–2.4 with {@code MKL_CBWR=AVX2} and 1.8 in OpenBLAS.
 *
 * <p>The static's address is read from the function's first instruction ({@code mov eax,
 * [rip+disp32]}), and nothing is written unless its first three instructions are those of the check
 * as built into DJL's libtorch 2.7.1 ({@code mov eax, cached; test eax, eax; js ...}), the address
 * lies in a writable mapping of the process, and the cache still holds -1.
 */
final class MklVendorCheck {
  /** The exported function whose cache is set. */
  static final String FUNCTION = "mkl_serv_intel_cpu_true";

  private static final String LIBRARY = "libtorch_cpu.so";

  /** mov eax, [rip+disp32]: 8B 05 d d d d; test eax, eax: 85 C0; js rel8: 78 xx. */
  private static final int PATTERN_LENGTH = 10;

  private MklVendorCheck() {}

  /**
   * Sets the check's cache to "Intel" in this process's libtorch; empty when set, else why not, as
   * a phrase for a decision's reason.
   */
  static Optional<String> answerIntel() {
    Located located = locate();
    if (located.why() != null) {
      return Optional.of(located.why());
    }
    Pointer cached = new Pointer(located.cache());
    int value = cached.getInt(0);
    if (value != -1) {
      return Optional.of("MKL had already checked the processor (" + value + ")");
    }
    cached.setInt(0, 1);
    return Optional.empty();
  }

  /**
   * The check's cached answer in this process's libtorch: -1 before MKL first asks, 0 for "not
   * Intel", 1 for "Intel"; empty where the cache cannot be found.
   */
  static OptionalInt cachedAnswer() {
    Located located = locate();
    return located.why() == null
        ? OptionalInt.of(new Pointer(located.cache()).getInt(0))
        : OptionalInt.empty();
  }

  /** The cache's address, or why it was not found. */
  private record Located(long cache, String why) {
    static Located not(String why) {
      return new Located(0, why);
    }
  }

  private static Located locate() {
    Optional<List<String>> lines = MappedFiles.ofThisProcess();
    if (lines.isEmpty()) {
      return Located.not("no " + MappedFiles.MAPS);
    }
    List<String> maps = lines.get();
    Optional<String> library = loadedLibrary(maps);
    if (library.isEmpty()) {
      return Located.not(LIBRARY + " is not loaded");
    }
    Pointer function;
    try {
      function = NativeLibrary.getInstance(library.get()).getFunction(FUNCTION);
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return Located.not(library.get() + " has no " + FUNCTION);
    }
    OptionalLong cache =
        cacheAddress(function.getByteArray(0, PATTERN_LENGTH), Pointer.nativeValue(function));
    if (cache.isEmpty()) {
      return Located.not(FUNCTION + " is not the check this code knows");
    }
    if (!writable(maps, cache.getAsLong(), Integer.BYTES)) {
      return Located.not(FUNCTION + "'s cache is not in writable memory");
    }
    return new Located(cache.getAsLong(), null);
  }

  /**
   * The address of the check's cache, from the function's first bytes {@code code} at {@code
   * functionAddress}; empty unless they are {@code mov eax, [rip+disp32]; test eax, eax; js}.
   */
  static OptionalLong cacheAddress(byte[] code, long functionAddress) {
    if (code.length < PATTERN_LENGTH
        || (code[0] & 0xff) != 0x8b
        || (code[1] & 0xff) != 0x05
        || (code[6] & 0xff) != 0x85
        || (code[7] & 0xff) != 0xc0
        || (code[8] & 0xff) != 0x78) {
      return OptionalLong.empty();
    }
    int displacement =
        (code[2] & 0xff) | (code[3] & 0xff) << 8 | (code[4] & 0xff) << 16 | (code[5] & 0xff) << 24;
    return OptionalLong.of(functionAddress + 6 + displacement); // rip is the next instruction
  }

  /** The path of the loaded libtorch_cpu.so, from the lines of /proc/self/maps. */
  static Optional<String> loadedLibrary(List<String> maps) {
    return MappedFiles.paths(maps).stream()
        .filter(path -> MappedFiles.fileName(path).equals(LIBRARY))
        .findFirst();
  }

  /**
   * Whether {@code [address, address + bytes)} lies in one mapping that is readable and writable.
   */
  static boolean writable(List<String> maps, long address, int bytes) {
    for (String line : maps) {
      String[] fields = line.split("\\s+", 3);
      if (fields.length < 2 || !fields[1].startsWith("rw")) {
        continue;
      }
      int dash = fields[0].indexOf('-');
      if (dash < 0) {
        continue;
      }
      long start = Long.parseUnsignedLong(fields[0].substring(0, dash), 16);
      long end = Long.parseUnsignedLong(fields[0].substring(dash + 1), 16);
      if (Long.compareUnsigned(address, start) >= 0
          && Long.compareUnsigned(address + bytes, end) <= 0) {
        return true;
      }
    }
    return false;
  }
}
