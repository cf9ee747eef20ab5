package ai.attune.core.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Transparent huge pages for libtorch's host tensors, turned on before libtorch first allocates.
 *
 * <p>libtorch (c10's CPU allocator) puts every host allocation of 2 MiB or more on 2 MiB-aligned
 * memory and asks the kernel for huge pages there ({@code madvise(MADV_HUGEPAGE)}) when the
 * environment variable {@value #VARIABLE} is {@code 1}. It reads the variable once, at its first
 * allocation, so {@link Engines#pytorch()} sets it in the process's own environment (the C
 * library's {@code setenv}, through JNA) just before the engine starts. A step's large activations
 * then fault in 2 MiB at a time instead of 4 KiB, which under glibc's malloc (see {@link
 * NativeAllocator}) is where much of a CPU step went: on the 2-core machine of {@code docs/grzo.md}
 * ("Huge pages") a GRZO step at shape a took 430–435 ms instead of 682–751 and peaked at 0.48
 * instead of 0.58–0.64 GiB.
 *
 * <p>Nothing is set when the user already set {@value #VARIABLE} (any value: theirs wins), when the
 * system property {@value #PROPERTY} is {@code false}, when another allocator than glibc's was
 * preloaded (tcmalloc keeps freed memory itself, and huge pages did not speed it up), when the
 * kernel's THP mode is {@code never} or unreadable (not Linux), or when the C library's {@code
 * setenv} cannot be called. The numbers a run computes do not change, only where its memory comes
 * from.
 */
public final class HugePages {
  /** The variable libtorch's CPU allocator reads. */
  public static final String VARIABLE = "THP_MEM_ALLOC_ENABLE";

  /** {@code -Dattune.huge_pages=false} leaves libtorch's default (no huge pages). */
  public static final String PROPERTY = "attune.huge_pages";

  static final Path KERNEL_MODE = Paths.get("/sys/kernel/mm/transparent_hugepage/enabled");
  private static final Pattern SELECTED = Pattern.compile("\\[(\\w+)\\]");

  /**
   * What was decided for this process.
   *
   * @param enabled whether {@value #VARIABLE}=1 was set for libtorch
   * @param reason one line for the log and {@code attune env}
   */
  public record Decision(boolean enabled, String reason) {}

  private HugePages() {}

  /**
   * Decides from the property, the environment, the process's C allocator and the kernel's mode,
   * and sets {@value #VARIABLE} when the decision is to enable; call before the engine's first
   * allocation.
   */
  static Decision enableForLibtorch(NativeAllocator allocator) {
    Decision decision =
        decide(System.getProperty(PROPERTY), System.getenv(VARIABLE), allocator, kernelModeLine());
    if (!decision.enabled()) {
      return decision;
    }
    return CEnvironment.set(VARIABLE, "1")
        .map(why -> new Decision(false, "off: " + why))
        .orElse(decision);
  }

  /**
   * The decision for a property value, the variable's value in the environment (null when unset),
   * the process's C allocator and the first line of {@code
   * /sys/kernel/mm/transparent_hugepage/enabled} (empty when it cannot be read).
   */
  static Decision decide(
      String property,
      String variable,
      NativeAllocator allocator,
      Optional<String> kernelModeLine) {
    if (variable != null) {
      boolean on = "1".equals(variable.trim());
      return new Decision(
          on, (on ? "on" : "off") + ": " + VARIABLE + "=" + variable + " was set by the user");
    }
    if (property != null && !Boolean.parseBoolean(property.trim())) {
      return new Decision(false, "off: -D" + PROPERTY + "=" + property);
    }
    if (!allocator.isGlibc() && !allocator.name().equals(NativeAllocator.UNKNOWN)) {
      return new Decision(
          false,
          "off: "
              + allocator.name()
              + " is preloaded and keeps freed memory itself (huge pages did not speed it up)");
    }
    if (kernelModeLine.isEmpty()) {
      return new Decision(
          false, "off: no " + KERNEL_MODE + " (not Linux, or a kernel without huge pages)");
    }
    Matcher m = SELECTED.matcher(kernelModeLine.get());
    String mode = m.find() ? m.group(1) : "";
    if (!mode.equals("always") && !mode.equals("madvise")) {
      return new Decision(
          false,
          "off: the kernel's transparent huge pages are '" + mode + "' (" + KERNEL_MODE + ")");
    }
    return new Decision(
        true,
        "on: libtorch puts host tensors of 2 MiB or more on transparent huge pages ("
            + VARIABLE
            + "=1, kernel mode "
            + mode
            + "); -D"
            + PROPERTY
            + "=false or "
            + VARIABLE
            + "=0 turns it off");
  }

  private static Optional<String> kernelModeLine() {
    try {
      return Files.isReadable(KERNEL_MODE)
          ? Files.readAllLines(KERNEL_MODE).stream().findFirst()
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
