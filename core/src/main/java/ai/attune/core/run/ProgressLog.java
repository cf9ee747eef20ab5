package ai.attune.core.run;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A progress line for long loops, logged at INFO every so often rather than every item:
 *
 * <pre>step 120/2000 (6.0%) 3.1 it/s, ETA 10m05s, loss=0.6931</pre>
 *
 * <p>Call {@link #update} after each item with the number done so far and the fields to show, then
 * {@link #finish} once, which always logs a last line with the total time. A line is logged when
 * {@code every} has passed since the last one, or when {@code done} crosses a multiple of {@code
 * everyItems}, whichever of the two is configured (zero turns one off). The rate is the number done
 * divided by the time since construction, read from a monotonic clock; below one item a second it
 * is shown as seconds per item. A total of zero means unknown: no percentage, no ETA. Doubles are
 * shown with four significant digits. Not for concurrent use from many threads.
 */
public final class ProgressLog {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressLog.class);

  private final String label;
  private final long total;
  private final long everyNanos;
  private final long everyItems;
  private final LongSupplier nanos;
  private final Consumer<String> sink;
  private final long startNanos;
  private long lastLogNanos;
  private long lastLogDone;
  private long done;
  private long startDone;
  private Map<String, Object> fields = Map.of();
  private boolean finished;

  /** Logs through SLF4J at most once per {@code every}. */
  public ProgressLog(String label, long total, Duration every) {
    this(label, total, every, 0, System::nanoTime, LOG::info);
  }

  /** Logs through SLF4J each time {@code done} reaches a multiple of {@code everyItems}. */
  public ProgressLog(String label, long total, long everyItems) {
    this(label, total, Duration.ZERO, everyItems, System::nanoTime, LOG::info);
  }

  /**
   * Full control: a time period and an item period (either may be zero, not both), the clock in
   * nanoseconds (monotonic, like {@link System#nanoTime}) and where the lines go.
   */
  public ProgressLog(
      String label,
      long total,
      Duration every,
      long everyItems,
      LongSupplier nanos,
      Consumer<String> sink) {
    this.label = Objects.requireNonNull(label, "label");
    Objects.requireNonNull(every, "every");
    if (total < 0 || everyItems < 0 || every.isNegative()) {
      throw new IllegalArgumentException(
          String.format(
              "total, every and everyItems must not be negative: %d, %s, %d",
              total, every, everyItems));
    }
    if (every.isZero() && everyItems == 0) {
      throw new IllegalArgumentException("set a time period, an item period or both");
    }
    this.total = total;
    this.everyNanos = every.toNanos();
    this.everyItems = everyItems;
    this.nanos = Objects.requireNonNull(nanos, "nanos");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.startNanos = nanos.getAsLong();
    this.lastLogNanos = startNanos;
  }

  /**
   * Declares that {@code alreadyDone} items were done before this log started (a resumed run):
   * lines then show the absolute count against the total, and the rate and ETA count only the items
   * done since. Call before the first {@link #update}.
   */
  public ProgressLog resumedAt(long alreadyDone) {
    if (alreadyDone < 0 || (total > 0 && alreadyDone > total)) {
      throw new IllegalArgumentException("alreadyDone must be in 0.." + total + ": " + alreadyDone);
    }
    this.startDone = alreadyDone;
    this.done = alreadyDone;
    this.lastLogDone = alreadyDone;
    return this;
  }

  /** Records progress and logs a line when one is due. */
  public void update(long done, Map<String, ?> fields) {
    this.done = done;
    this.fields = new LinkedHashMap<>(fields);
    long now = nanos.getAsLong();
    boolean timeDue = everyNanos > 0 && now - lastLogNanos >= everyNanos;
    boolean itemsDue = everyItems > 0 && done / everyItems > lastLogDone / everyItems;
    if (timeDue || itemsDue) {
      sink.accept(line(now, false));
      lastLogNanos = now;
      lastLogDone = done;
    }
  }

  /** Records progress without fields. */
  public void update(long done) {
    update(done, Map.of());
  }

  /** Logs the final line with the total time, once; later calls do nothing. */
  public void finish() {
    if (!finished) {
      finished = true;
      sink.accept(line(nanos.getAsLong(), true));
    }
  }

  private String line(long now, boolean last) {
    StringBuilder sb = new StringBuilder(label).append(' ').append(done);
    if (total > 0) {
      sb.append('/').append(total);
      sb.append(String.format(Locale.ROOT, " (%.1f%%)", 100.0 * done / total));
    }
    double seconds = (now - startNanos) / 1e9;
    long sinceStart = done - startDone;
    double rate = seconds > 0 && sinceStart > 0 ? sinceStart / seconds : Double.NaN;
    sb.append(' ').append(formatRate(rate));
    if (last) {
      sb.append(", done in ").append(formatDuration(seconds));
    } else if (total > 0) {
      sb.append(", ETA ").append(formatDuration(Math.max(0, total - done) / rate));
    }
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      sb.append(", ").append(e.getKey()).append('=').append(formatValue(e.getValue()));
    }
    return sb.toString();
  }

  /** {@code 3.1 it/s}, or {@code 12.5 s/it} below one item a second; {@code ? it/s} unknown. */
  static String formatRate(double perSecond) {
    if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
      return "? it/s";
    }
    if (perSecond < 1) {
      return String.format(Locale.ROOT, "%.1f s/it", 1 / perSecond);
    }
    return String.format(Locale.ROOT, "%.1f it/s", perSecond);
  }

  /** {@code 45s}, {@code 10m05s}, {@code 2h03m04s}; {@code ?} when unknown. */
  static String formatDuration(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) {
      return "?";
    }
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60);
  }

  private static String formatValue(Object value) {
    if ((value instanceof Double || value instanceof Float)
        && Double.isFinite(((Number) value).doubleValue())) {
      return String.format(Locale.ROOT, "%.4g", ((Number) value).doubleValue());
    }
    return String.valueOf(value);
  }
}
