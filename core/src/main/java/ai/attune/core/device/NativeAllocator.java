package ai.attune.core.device;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The C allocator that serves libtorch's host memory in this process, found from the libraries
 * mapped into it ({@code /proc/self/maps}).
 *
 * <p>Why it matters: libtorch allocates every CPU tensor with the C library's {@code malloc}. In a
 * JVM those calls come from a Java thread, not the process's main thread, so glibc serves them from
 * a thread arena; there a step's freed activations are handed back to the kernel and faulted in
 * again on the next step, and the heap fragments. On the 2-core machine of {@code docs/grzo.md}
 * ("The C allocator") preloading tcmalloc cut a forward pass at shape b from 767 to 516 ms and the
 * GRZO step's peak from 1.47x to 1.12x the forward's. The allocator can only be chosen when the JVM
 * starts ({@code LD_PRELOAD}); {@link #advice} says how.
 *
 * @param name {@code tcmalloc}, {@code jemalloc}, {@code mimalloc}, {@link #GLIBC} or {@link
 *     #UNKNOWN}
 * @param library the mapped library file that provides it, or empty when none was found
 */
public record NativeAllocator(String name, String library) {
  /** The C library's own malloc. */
  public static final String GLIBC = "glibc malloc";

  /** Not found: no {@code /proc/self/maps} (not Linux) or no C library in it. */
  public static final String UNKNOWN = "unknown";

  /** The library the Debian or Ubuntu package {@code libtcmalloc-minimal4} installs on x86-64. */
  public static final String TCMALLOC_PATH = tcmallocPath("amd64");

  private static final Pattern REPLACEMENT =
      Pattern.compile("lib(tcmalloc|jemalloc|mimalloc)[\\w-]*\\.so[\\w.]*");
  private static final Pattern LIBC = Pattern.compile("libc(?:-[\\d.]+)?\\.so[\\w.]*");

  /** Checks the components. */
  public NativeAllocator {
    if (name == null || name.isBlank() || library == null) {
      throw new IllegalArgumentException("an allocator needs a name and a library (or \"\")");
    }
  }

  /** The allocator of this process, or {@link #UNKNOWN} where {@code /proc/self/maps} is absent. */
  public static NativeAllocator inProcess() {
    return MappedFiles.ofThisProcess()
        .map(NativeAllocator::fromMaps)
        .orElse(new NativeAllocator(UNKNOWN, ""));
  }

  /**
   * The allocator named by {@code /proc/self/maps} lines: a mapped tcmalloc, jemalloc or mimalloc
   * (they replace {@code malloc} only when preloaded, so being mapped means being used), else glibc
   * when a C library is mapped, else {@link #UNKNOWN}.
   */
  static NativeAllocator fromMaps(List<String> mapsLines) {
    String libc = "";
    for (String path : MappedFiles.paths(mapsLines)) {
      String file = MappedFiles.fileName(path);
      Matcher m = REPLACEMENT.matcher(file);
      if (m.matches()) {
        return new NativeAllocator(m.group(1), path);
      }
      if (libc.isEmpty() && LIBC.matcher(file).matches()) {
        libc = path;
      }
    }
    return libc.isEmpty() ? new NativeAllocator(UNKNOWN, "") : new NativeAllocator(GLIBC, libc);
  }

  /** Whether libtorch's host memory comes from glibc's malloc. */
  public boolean isGlibc() {
    return GLIBC.equals(name);
  }

  /**
   * One line for a log or a report: the allocator, and for glibc how to start the JVM with tcmalloc
   * instead.
   */
  public String advice() {
    if (!isGlibc()) {
      return "host allocator: " + name + (library.isEmpty() ? "" : " (" + library + ")");
    }
    return "host allocator: glibc malloc; CPU steps run faster and peak lower with tcmalloc:"
        + " start the JVM with LD_PRELOAD="
        + tcmallocPath(System.getProperty("os.arch"))
        + " (package libtcmalloc-minimal4; docs/grzo.md, \"The C allocator\")";
  }

  /**
   * Where Debian's and Ubuntu's {@code libtcmalloc-minimal4} puts the library for a JVM's {@code
   * os.arch} ({@code amd64} or {@code x86_64}, {@code aarch64}; others are named as they are).
   */
  static String tcmallocPath(String osArch) {
    String triplet =
        switch (osArch) {
          case "amd64", "x86_64" -> "x86_64";
          default -> osArch;
        };
    return "/usr/lib/" + triplet + "-linux-gnu/libtcmalloc_minimal.so.4";
  }
}
