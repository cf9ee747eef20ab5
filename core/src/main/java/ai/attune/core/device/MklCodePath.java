package ai.attune.core.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * MKL's fast code paths on AMD processors, chosen before libtorch first calls MKL.
 *
 * <p>The MKL inside DJL's CPU libtorch picks its matrix-product kernels by processor. On AMD
 * processors it takes its default path ({@code mkl_blas_def_sgemm_*}), which for products with few
 * rows is much slower than its AVX2 path: on the 2-core AMD EPYC of {@code docs/grzo.md} ("MKL on
 * AMD processors"), {@code [8, 2048] x [2048, 11008]} took 14.0–15.5 ms against 6.4–7.4 ms, {@code
 * [64, 256] x [256, 8192]} 3.2–4.2 ms against 2.0–2.5 ms, with products of 1,024 rows or more
 * level. MKL reads the variable {@value #VARIABLE} at its first product, so {@link
 * Engines#pytorch()} sets {@value #VARIABLE}={@value #BRANCH} in the process's own environment (the
 * C library's {@code setenv}, through JNA) before the engine starts, on AMD processors with AVX2
 * and FMA only. Once the engine has loaded libtorch, {@link #afterEngineStart} goes further where
 * it can: it answers MKL's vendor check "Intel" ({@link MklVendorCheck}) and removes the variable,
 * so that MKL picks its kernels by the processor's features as on Intel processors (the head
 * product above in 0.84–0.92 ms).
 *
 * <p>Nothing is set when the user already set {@value #VARIABLE} (any value: theirs wins), when the
 * system property {@value #PROPERTY} is {@code false}, on any other processor (MKL's own choice on
 * Intel processors is its fastest), when {@code /proc/cpuinfo} cannot be read (not Linux), or when
 * the C library's {@code setenv} cannot be called. A product on another code path may round
 * differently in the last bits, so runs on an AMD machine with and without it are not bit for bit
 * the same; a run and its replay on the same machine are.
 */
public final class MklCodePath {
  /** The variable MKL reads for its code path (conditional numerical reproducibility branch). */
  public static final String VARIABLE = "MKL_CBWR";

  /** The code path set on AMD processors. */
  public static final String BRANCH = "AVX2";

  /**
   * {@code -Dattune.mkl_amd_avx2=false} leaves MKL's own choice; {@code =avx2} keeps {@value
   * #VARIABLE}={@value #BRANCH} without answering MKL's vendor check.
   */
  public static final String PROPERTY = "attune.mkl_amd_avx2";

  /** The property's value that keeps the AVX2 path only. */
  public static final String AVX2_ONLY = "avx2";

  static final Path CPU_INFO = Paths.get("/proc/cpuinfo");
  private static final String AMD = "AuthenticAMD";

  /**
   * What was decided for this process.
   *
   * @param set whether Attune changed MKL's code path ({@value #VARIABLE}={@value #BRANCH}, or its
   *     vendor check answered as {@link #afterEngineStart} does)
   * @param reason one line for the log and {@code attune env}
   */
  public record Decision(boolean set, String reason) {}

  private MklCodePath() {}

  /**
   * Decides from the property, the environment and the processor, and sets {@value #VARIABLE} when
   * the decision is to; call before the engine starts.
   */
  static Decision chooseForLibtorch() {
    Decision decision =
        decide(System.getProperty(PROPERTY), System.getenv(VARIABLE), cpuInfoLines());
    if (!decision.set()) {
      return decision;
    }
    return CEnvironment.set(VARIABLE, BRANCH)
        .map(why -> new Decision(false, "MKL's own choice: " + why))
        .orElse(decision);
  }

  /**
   * After the engine has loaded libtorch and before its first product: where {@link
   * #chooseForLibtorch} set {@value #VARIABLE}={@value #BRANCH}, answers MKL's vendor check "Intel"
   * ({@link MklVendorCheck}) and removes the variable, so that MKL picks its AVX2 or AVX-512
   * kernels by this processor's features as it does on Intel processors. Where the check cannot be
   * answered, or the property is {@value #AVX2_ONLY}, the AVX2 path stays.
   */
  static Decision afterEngineStart(Decision before) {
    if (!before.set()) {
      return before;
    }
    if (avx2Only(System.getProperty(PROPERTY))) {
      return before;
    }
    Optional<String> notAnswered = MklVendorCheck.answerIntel();
    if (notAnswered.isPresent()) {
      return new Decision(true, before.reason() + " (" + notAnswered.get() + ")");
    }
    return CEnvironment.unset(VARIABLE)
        .map(why -> new Decision(true, "MKL's vendor check answered Intel, but " + why))
        .orElse(
            new Decision(
                true,
                "MKL's kernels chosen by this AMD processor's features, as on Intel processors"
                    + " (its vendor check answered Intel; its default path for AMD is up to 4x"
                    + " slower on products with few rows, "
                    + VARIABLE
                    + "="
                    + BRANCH
                    + " up to 2.5x); -D"
                    + PROPERTY
                    + "="
                    + AVX2_ONLY
                    + " keeps "
                    + VARIABLE
                    + "="
                    + BRANCH
                    + ", =false MKL's own choice"));
  }

  /**
   * The decision for a property value, the variable's value in the environment (null when unset)
   * and the lines of {@code /proc/cpuinfo} (empty when it cannot be read).
   */
  static Decision decide(String property, String variable, Optional<List<String>> cpuInfo) {
    if (variable != null) {
      return new Decision(false, VARIABLE + "=" + variable + " was set by the user");
    }
    if (property != null && !avx2Only(property) && !Boolean.parseBoolean(property.trim())) {
      return new Decision(false, "MKL's own choice: -D" + PROPERTY + "=" + property);
    }
    if (cpuInfo.isEmpty()) {
      return new Decision(false, "MKL's own choice: no " + CPU_INFO + " (not Linux)");
    }
    String vendor = field(cpuInfo.get(), "vendor_id").orElse("unknown");
    if (!vendor.equals(AMD)) {
      return new Decision(false, "MKL's own choice on this " + vendor + " processor");
    }
    List<String> flags = Arrays.asList(field(cpuInfo.get(), "flags").orElse("").split("\\s+"));
    if (!flags.contains("avx2") || !flags.contains("fma")) {
      return new Decision(false, "MKL's own choice: this AMD processor lacks AVX2 or FMA");
    }
    return new Decision(
        true,
        VARIABLE
            + "="
            + BRANCH
            + ": MKL's AVX2 kernels on this AMD processor (its default path for AMD is up to 3x"
            + " slower on products with few rows); -D"
            + PROPERTY
            + "=false turns it off");
  }

  /** Whether the property's value is {@value #AVX2_ONLY}. */
  private static boolean avx2Only(String property) {
    return property != null && property.trim().equalsIgnoreCase(AVX2_ONLY);
  }

  /** The value of the first {@code name : value} line of {@code /proc/cpuinfo}. */
  static Optional<String> field(List<String> cpuInfo, String name) {
    for (String line : cpuInfo) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
        return Optional.of(line.substring(colon + 1).trim());
      }
    }
    return Optional.empty();
  }

  private static Optional<List<String>> cpuInfoLines() {
    try {
      return Files.isReadable(CPU_INFO)
          ? Optional.of(Files.readAllLines(CPU_INFO))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
