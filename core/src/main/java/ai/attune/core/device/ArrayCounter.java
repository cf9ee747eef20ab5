package ai.attune.core.device;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.lang.reflect.Field;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * Counts the arrays created under a manager while counting is on, and their bytes: a cheap stand-in
 * for an engine op counter, so that a benchmark can show op-count and allocation regressions.
 *
 * <p>What is counted: every attachment of an {@link NDArray}, while counting is on, to the watched
 * manager or to any manager under it. DJL attaches each op's result to a manager, so this is about
 * one count per engine op that returns an array, plus arrays created from host data, plus arrays
 * moved to another manager ({@code attach}, counted again). DJL turns the scalar operand of {@code
 * mul(2f)} and the like into an array first, so such an op counts twice. Bytes are {@code size ×
 * element size} of each such array, views (reshape, transpose) included as if they owned storage;
 * in-place ops ({@code addi}, {@code muli}) and ops returning nothing are not counted, nor is the
 * engine's own scratch memory. The hook replaces the managers' resource maps (a protected field of
 * DJL's {@code BaseNDManager}) with counting ones, so it needs DJL's {@code BaseNDManager}
 * managers; {@link #watch} fails clearly otherwise.
 *
 * <p>Counting reads each new array's shape (one engine call): turn it on only for steps that are
 * not timed. While it is off the hook costs a field read per attachment: the managers under the
 * watched one get their counting maps when counting starts ({@link #start} walks the live ones) and
 * while it is on (each new one), not as they are made, so the timed steps between counts do no
 * reflection.
 */
public final class ArrayCounter {
  private static final Field RESOURCES = resourcesField();
  private final NDManager root;
  private final AtomicLong arrays = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private volatile boolean on;

  /** Starts watching {@code root} and the managers under it (counting off). */
  public static ArrayCounter watch(NDManager root) {
    ArrayCounter counter = new ArrayCounter(root);
    counter.install(root); // refuses a manager that is not DJL's BaseNDManager
    return counter;
  }

  private ArrayCounter(NDManager root) {
    this.root = root;
  }

  /** Clears the counts and turns counting on for the watched manager and every manager under it. */
  public void start() {
    arrays.set(0);
    bytes.set(0);
    installTree(root);
    on = true;
  }

  /** Turns counting off and returns the counts since {@link #start}. */
  public Counts stop() {
    on = false;
    return new Counts(arrays.get(), bytes.get());
  }

  /** Arrays created and their bytes (see the class comment for what is counted). */
  public record Counts(long arrays, long bytes) {}

  private void installTree(NDManager manager) {
    for (AutoCloseable r : install(manager).values()) {
      if (r instanceof NDManager child) {
        installTree(child);
      }
    }
  }

  /** Puts a counting map in {@code manager} (once) and returns it. */
  private ConcurrentHashMap<String, AutoCloseable> install(NDManager manager) {
    if (!(manager instanceof BaseNDManager base)) {
      throw new IllegalArgumentException(
          "ArrayCounter needs a DJL BaseNDManager, got " + manager.getClass().getName());
    }
    try {
      @SuppressWarnings("unchecked")
      ConcurrentHashMap<String, AutoCloseable> old =
          (ConcurrentHashMap<String, AutoCloseable>) RESOURCES.get(base);
      if (old instanceof CountingMap) {
        return old;
      }
      CountingMap counting = new CountingMap();
      counting.putAll(old);
      RESOURCES.set(base, counting);
      return counting;
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot install the array counter on " + manager, e);
    }
  }

  private void record(AutoCloseable resource) {
    if (!on) {
      return;
    }
    if (resource instanceof NDArray a) {
      arrays.incrementAndGet();
      bytes.addAndGet(a.getShape().size() * a.getDataType().getNumOfBytes());
    } else if (resource instanceof NDManager child) {
      installTree(child);
    }
  }

  /** A resource map that reports every new resource to the counter. */
  private final class CountingMap extends ConcurrentHashMap<String, AutoCloseable> {
    private static final long serialVersionUID = 1L;

    @Override
    public AutoCloseable compute(
        String key,
        BiFunction<? super String, ? super AutoCloseable, ? extends AutoCloseable> remap) {
      AutoCloseable value = super.compute(key, remap);
      if (value != null) {
        record(value);
      }
      return value;
    }

    @Override
    public AutoCloseable put(String key, AutoCloseable value) {
      record(value);
      return super.put(key, value);
    }
  }

  private static Field resourcesField() {
    try {
      Field f = BaseNDManager.class.getDeclaredField("resources");
      f.setAccessible(true);
      return f;
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException(
          "DJL's BaseNDManager has no 'resources' field: the array"
              + " counter does not support this DJL version",
          e);
    }
  }
}
