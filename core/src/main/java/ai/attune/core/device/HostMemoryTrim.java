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
 * grows well past what is live. On the 2-core machine of {@code docs/grzo.md} ("The C allocator") a
 * GRZO step at shape b peaked at 0.70–0.72 GiB under glibc, against 0.53 with trimming (and
 * 0.53–0.54 for the PyTorch twin); the forward at 0.62–0.65 against 0.49–0.54. Trimming after each
 * pass was not enough (0.66–0.68): the freed memory builds up inside a pass. {@code malloc_trim}
 * returns only free pages, so no value a run computes changes; the cost is faulting them in again
 * when they are reused (a GRZO step at b took 3–6% longer).
 *
 * <p>Nothing is started when another allocator than glibc's was preloaded (tcmalloc and jemalloc
 * return freed memory themselves), when the C library's {@code malloc_trim} cannot be called, or
 * when the system property {@value #PROPERTY} is {@code false}. {@link Engines#pytorch()} decides
 * once per process, before the engine starts.
 */
public final class HostMemoryTrim {
  /** {@code -Dattune.malloc_trim=false} leaves glibc's freed memory where glibc keeps it. */
  public static final String PROPERTY = "attune.malloc_trim";

  /** How often the daemon thread trims. */
  public static final Duration PERIOD = Duration.ofMillis(250);

  /** The daemon thread's name. */
  public static final String THREAD_NAME = "attune-malloc-trim";

  /**
   * What was decided for this process.
   *
   * @param enabled whether the daemon thread trims
   * @param reason one line for the log and {@code attune env}
   */
  public record Decision(boolean enabled, String reason) {}

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
      return new Decision(
          false, "off: the C library's malloc_trim could not be called (" + e + ")");
    }
    Thread thread = new Thread(() -> trimEvery(c, PERIOD), THREAD_NAME);
    thread.setDaemon(true);
    thread.start();
    return decision;
  }

  /** The decision for a property value (null when unset) and the process's C allocator. */
  static Decision decide(String property, NativeAllocator allocator) {
    if (property != null && !Boolean.parseBoolean(property.trim())) {
      return new Decision(false, "off: -D" + PROPERTY + "=" + property);
    }
    if (!allocator.isGlibc()) {
      return new Decision(
          false,
          "off: the host allocator is "
              + allocator.name()
              + (allocator.name().equals(NativeAllocator.UNKNOWN)
                  ? ""
                  : ", which returns freed memory itself"));
    }
    return new Decision(
        true,
        "on: glibc's freed host memory goes back to the kernel every "
            + PERIOD.toMillis()
            + " ms (malloc_trim); -D"
            + PROPERTY
            + "=false turns it off");
  }

  /**
   * Trims once now, on the calling thread: whether glibc gave memory back. False where the C
   * library has no {@code malloc_trim}.
   */
  public static boolean trimNow() {
    try {
      return Native.load(Platform.C_LIBRARY_NAME, CLibrary.class).malloc_trim(0) == 1;
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return false;
    }
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
