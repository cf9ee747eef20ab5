package ai.attune.core.device;

import ai.attune.core.config.Mappers;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * libtorch's own profiler around a piece of work: every engine op it ran, with the time spent in
 * the op itself (its self time: its duration less that of the ops it called, as {@code linear}
 * calls {@code mm}). {@link #record} writes the profiler's Chrome trace (open it in Perfetto or
 * {@code chrome://tracing}) and reads it back into a table, the same table the PyTorch anchor's
 * {@code --trace} gives, so the two sides can be compared op by op.
 *
 * <p>The profiler is libtorch's legacy autograd profiler, started and stopped through DJL's {@code
 * JniUtils}; profiling slows each op, so profile steps that are not timed.
 *
 * @param trace the Chrome trace the table was read from
 * @param ops one entry per op name, by self time, largest first
 */
public record OpProfile(Path trace, List<Op> ops) {

  /** One op name: how often it ran and its summed self time. */
  public record Op(String name, long calls, double selfMs) {}

  public OpProfile {
    ops = List.copyOf(ops);
  }

  /**
   * Runs {@code work} under libtorch's profiler, writes the trace to {@code trace} (its folder
   * created) and returns its table.
   *
   * @param cuda whether to time CUDA kernels as well (a GPU run)
   */
  public static OpProfile record(Path trace, boolean cuda, Runnable work) {
    try {
      Path parent = trace.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the folder of profile " + trace, e);
    }
    JniUtils.startProfile(cuda, true, false);
    try {
      work.run();
    } finally {
      JniUtils.stopProfile(trace.toAbsolutePath().toString());
    }
    return read(trace);
  }

  /**
   * The table of a Chrome trace written by libtorch's profiler (its complete events, "ph": "X").
   */
  public static OpProfile read(Path trace) {
    JsonNode root;
    try {
      root = Mappers.json().readTree(trace.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read profiler trace " + trace, e);
    }
    JsonNode events = root.isArray() ? root : root.path("traceEvents");
    if (!events.isArray()) {
      throw new IllegalArgumentException(
          trace + ": not a Chrome trace (expected an array of events or a traceEvents array)");
    }
    List<Event> complete = new ArrayList<>();
    for (JsonNode e : events) {
      if ("X".equals(e.path("ph").asText()) && e.has("name") && e.has("ts") && e.has("dur")) {
        complete.add(
            new Event(
                e.get("name").asText(),
                e.path("tid").asText(""),
                e.get("ts").asDouble(),
                e.get("dur").asDouble()));
      }
    }
    return new OpProfile(trace, selfTimes(complete));
  }

  /** The summed self time of all ops, ms. */
  public double totalSelfMs() {
    return ops.stream().mapToDouble(Op::selfMs).sum();
  }

  /** The {@code top} ops by self time, one line each, with their share of the total. */
  public String table(int top) {
    double total = totalSelfMs();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "  %-32s %8s %12s %7s%n", "op", "calls", "self ms", "%"));
    for (Op op : ops.subList(0, Math.min(top, ops.size()))) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  %-32s %8d %12.2f %6.1f%%%n",
              op.name(),
              op.calls(),
              op.selfMs(),
              total > 0 ? 100 * op.selfMs() / total : 0));
    }
    sb.append(
        String.format(
            Locale.ROOT, "  %-32s %8s %12.2f%n", "all " + ops.size() + " ops", "", total));
    return sb.toString();
  }

  private record Event(String name, String thread, double startUs, double durationUs) {
    double endUs() {
      return startUs + durationUs;
    }
  }

  /** An event still open on the current thread, and its duration less its nested events'. */
  private static final class Frame {
    final Event event;
    double selfUs;

    Frame(Event event) {
      this.event = event;
      this.selfUs = event.durationUs();
    }
  }

  /** Calls and summed self time of one op name. */
  private static final class Total {
    long calls;
    double selfUs;

    void add(Frame f) {
      calls++;
      selfUs += f.selfUs;
    }
  }

  /**
   * Each event's duration less that of the events nested directly in it on the same thread (an
   * event starting at or after another's end is not nested in it), summed per name.
   */
  private static List<Op> selfTimes(List<Event> events) {
    List<Event> sorted = new ArrayList<>(events);
    sorted.sort(
        Comparator.comparing(Event::thread)
            .thenComparingDouble(Event::startUs)
            .thenComparing(Comparator.comparingDouble(Event::durationUs).reversed()));
    Map<String, Total> totals = new LinkedHashMap<>();
    Deque<Frame> open = new ArrayDeque<>();
    for (Event e : sorted) {
      while (!open.isEmpty()
          && (!open.peek().event.thread().equals(e.thread())
              || open.peek().event.endUs() <= e.startUs())) {
        Frame done = open.pop();
        totals.computeIfAbsent(done.event.name(), n -> new Total()).add(done);
      }
      if (!open.isEmpty()) {
        open.peek().selfUs -= e.durationUs();
      }
      open.push(new Frame(e));
    }
    for (Frame done : open) {
      totals.computeIfAbsent(done.event.name(), n -> new Total()).add(done);
    }
    List<Op> ops = new ArrayList<>();
    totals.forEach((name, t) -> ops.add(new Op(name, t.calls, t.selfUs / 1000)));
    ops.sort(Comparator.comparingDouble(Op::selfMs).reversed().thenComparing(Op::name));
    return ops;
  }
}
