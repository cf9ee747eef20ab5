package ai.attune.core.device;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.time.Duration;

/**
 * Hands the host memory that glibc's {@code malloc} keeps after libtorch frees arrays back to the
 * kernel ({@code malloc_trim(0)}), every {@link #PERIOD} from a daemon thread.
 *
 * <p>Why: glibc keeps freed chunks in its arenas, and the next layer or pass does not reuse them
 * all (its arrays come in other sizes and alignments), so under glibc a process's resident memory
 * grows well past what is live. On the 2-core machine of {@code docs/grzo.md} ("Trimming glibc's
 * freed memory") a GRZO step at shape b peaked at 0.69–0.71 GiB without trimming and 0.54 with it;
 * the forward at 0.61–0.65 and 0.49–0.50. Trimming after each pass was not enough (0.66–0.68): the
 * freed memory builds up inside a pass. {@code malloc_trim} returns only free pages, so no value a
 * run computes changes; the cost is faulting pages in again when they are reused, which a shorter
 * period makes dearer (every 250 ms: GRZO at b 0.51–0.52 GiB but 5–10% slower).
 *
 * <p>Nothing is started when another allocator than glibc's was preloaded (tcmalloc and jemalloc
 * return freed memory themselves), when the C library's {@code malloc_trim} cannot be called, or
 * when the system property {@value #PROPERTY} is {@code false}. {@link Engines#pytorch()} decides
 * once per process, before the engine starts.
 */
public final class HostMemoryTrim {
  /**
   * {@code -Dattune.malloc_trim=false} leaves glibc's freed memory where glibc keeps it; a number
   * sets the period in milliseconds ({@code -Dattune.malloc_trim=500}).
   */
  public static final String PROPERTY = "attune.malloc_trim";

  /** How often the daemon thread trims unless {@value #PROPERTY} names a period. */
  public static final Duration PERIOD = Duration.ofMillis(500);

  /** The daemon thread's name. */
  public static final String THREAD_NAME = "attune-malloc-trim";

  /**
   * What was decided for this process.
   *
   * @param enabled whether the daemon thread trims
   * @param period how often it trims (zero when it does not)
   * @param reason one line for the log and {@code attune env}
   */
  public record Decision(boolean enabled, Duration period, String reason) {
    static Decision off(String reason) {
      return new Decision(false, Duration.ZERO, "off: " + reason);
    }
  }

  /** The C library's {@code malloc_trim}, the one call this class needs. */
  interface CLibrary extends Library {
    /** Returns 1 when memory was given back to the kernel, 0 otherwise. */
    int malloc_trim(long pad);
  }

  private HostMemoryTrim() {}

  /** Decides from the property and the process's C allocator, and starts the thread when on. */
  static Decision startForLibtorch(NativeAllocator allocator) {
    Decision decision = decide(System.getProperty(PROPERTY), allocator);
    if (!decision.enabled()) {
      return decision;
    }
    CLibrary c;
    try {
      c = Native.load(Platform.C_LIBRARY_NAME, CLibrary.class);
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return Decision.off("the C library's malloc_trim could not be called (" + e + ")");
    }
    Thread thread = new Thread(() -> trimEvery(c, decision.period()), THREAD_NAME);
    thread.setDaemon(true);
    thread.start();
    return decision;
  }

  /**
   * The decision for a property value (null when unset: on, every {@link #PERIOD}) and the
   * process's C allocator.
   *
   * @throws IllegalArgumentException when the property is neither a boolean nor a positive number
   *     of milliseconds
   */
  static Decision decide(String property, NativeAllocator allocator) {
    Duration period = PERIOD;
    if (property != null) {
      String value = property.trim();
      if (value.equalsIgnoreCase("false")) {
        return Decision.off("-D" + PROPERTY + "=" + property);
      }
      if (!value.equalsIgnoreCase("true")) {
        period = periodOf(value);
      }
    }
    if (!allocator.isGlibc()) {
      return Decision.off(
          "the host allocator is "
              + allocator.name()
              + (allocator.name().equals(NativeAllocator.UNKNOWN)
                  ? ""
                  : ", which returns freed memory itself"));
    }
    return new Decision(
        true,
        period,
        "on: glibc's freed host memory goes back to the kernel every "
            + period.toMillis()
            + " ms (malloc_trim); -D"
            + PROPERTY
            + "=false turns it off");
  }

  private static Duration periodOf(String value) {
    long ms;
    try {
      ms = Long.parseLong(value);
    } catch (NumberFormatException e) {
      ms = 0;
    }
    if (ms <= 0) {
      throw new IllegalArgumentException(
          "-D"
              + PROPERTY
              + "="
              + value
              + ": expected true, false or a period in milliseconds (such as 500)");
    }
    return Duration.ofMillis(ms);
  }

  private static void trimEvery(CLibrary c, Duration period) {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(period.toMillis());
        c.malloc_trim(0);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
