package ai.attune.iapo.train;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Seconds spent in each {@link Phase} of one step. Not thread-safe. */
public final class PhaseTimes {
  private final EnumMap<Phase, Long> nanos = new EnumMap<>(Phase.class);

  /** Runs {@code work} and adds its time to {@code phase}. */
  public <T> T time(Phase phase, Supplier<T> work) {
    long start = System.nanoTime();
    try {
      return work.get();
    } finally {
      add(phase, System.nanoTime() - start);
    }
  }

  /** Adds {@code n} nanoseconds to {@code phase}. */
  public void add(Phase phase, long n) {
    nanos.merge(phase, n, Long::sum);
  }

  /** Seconds of {@code phase} (0 when it did not run). */
  public double seconds(Phase phase) {
    return nanos.getOrDefault(phase, 0L) / 1e9;
  }

  /** {@code time/<phase>} in seconds, every phase, in order. */
  public Map<String, Double> metrics() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Phase p : Phase.values()) {
      out.put(p.metric(), seconds(p));
    }
    return out;
  }
}
