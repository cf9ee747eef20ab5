package ai.attune.grzo.bench;

import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.EngineConstants;
import ai.attune.core.device.Engines;
import ai.attune.models.layers.DirectOps;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The Java cost of one engine op, per way of calling it: microseconds per call of ops on 2x2
 * float32 arrays, where libtorch's own work is a small part, each result freed with its manager as
 * in a step; and of a step cache's key lookup, with a record's generated equality and with a
 * hand-written one. Run it in the interpreter ({@code -Xint}) to see what a cold step pays per op,
 * and in a default JVM (after its own warm-up) for the compiled cost; docs/grzo.md ("Cold steps and
 * the JIT") reports both. Figures for people to read, not a test.
 *
 * <pre>
 * java -Xint -cp examples/target/attune.jar ai.attune.grzo.bench.OpOverheadBench [calls]
 * java -cp examples/target/attune.jar ai.attune.grzo.bench.OpOverheadBench 30000
 * </pre>
 */
public final class OpOverheadBench {
  private OpOverheadBench() {}

  /** One way of calling an op and its cost. */
  public record Row(String op, double microsPerCall) {}

  /** Times every op {@code calls} times after as many untimed calls, on the CPU. */
  public static List<Row> run(int calls) {
    if (calls < 1) {
      throw new IllegalArgumentException("calls must be >= 1, got " + calls);
    }
    List<Row> rows = new ArrayList<>();
    try (NDManager root = Engines.newManager(DevicePolicy.CPU)) {
      NDArray a = root.ones(new Shape(2, 2));
      NDArray b = root.ones(new Shape(2, 2));
      time(rows, root, calls, "DJL add(NDArray)", m -> a.add(b));
      time(rows, root, calls, "DJL mul(2f) (a scalar array per call)", m -> a.mul(2f));
      time(
          rows,
          root,
          calls,
          "DJL mul(shared constant)",
          m -> a.mul(EngineConstants.of(m, 2f, DataType.FLOAT32)));
      time(rows, root, calls, "DJL reshape(long...)", m -> a.reshape(4));
      time(rows, root, calls, "DirectOps.reshape", m -> DirectOps.reshape(a, 4));
      time(rows, root, calls, "DJL transpose(int...)", m -> a.transpose(1, 0));
      time(rows, root, calls, "DirectOps.permute", m -> DirectOps.permute(a, 1, 0));
      time(rows, root, calls, "DJL get(\":, 1:\")", m -> a.get(":, 1:"));
      time(rows, root, calls, "DirectOps.slice", m -> DirectOps.slice(a, 1, 1, 2));
      time(rows, root, calls, "getShape() of a new array", m -> a.add(b).getShape());
      time(rows, root, calls, "sub-manager open + close", m -> m.newSubManager().close());
      // last: libtorch's linear may wake its thread pool, whose spinning threads would slow the
      // Java work of the ops timed after it on a small machine
      time(rows, root, calls, "DirectOps.linear", m -> DirectOps.linear(a, b, null));
      // no engine work: what a step cache's key costs to look up
      Map<Object, Integer> cache = new HashMap<>();
      cache.put(new RecordKey("layers.0.fc1", 3L, 2), 1);
      cache.put(new WrittenKey("layers.0.fc1", 3L, 2), 2);
      time(
          rows,
          root,
          calls,
          "HashMap get, record key",
          m -> cache.get(new RecordKey("layers.0.fc1", 3L, 2)));
      time(
          rows,
          root,
          calls,
          "HashMap get, hand-written key",
          m -> cache.get(new WrittenKey("layers.0.fc1", 3L, 2)));
    }
    return rows;
  }

  /** A key with the equals and hashCode a record generates (through method handles). */
  private record RecordKey(String layer, long purpose, int rank) {}

  /** The same key with equals and hashCode written out. */
  private record WrittenKey(String layer, long purpose, int rank) {
    @Override
    public boolean equals(Object o) {
      return o instanceof WrittenKey k
          && k.purpose == purpose
          && k.rank == rank
          && k.layer.equals(layer);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * layer.hashCode() + Long.hashCode(purpose)) + rank;
    }
  }

  private static void time(
      List<Row> rows, NDManager root, int calls, String op, Consumer<NDManager> f) {
    BiConsumer<NDManager, Integer> loop =
        (m, n) -> {
          for (int i = 0; i < n; i++) {
            f.accept(m);
          }
        };
    try (NDManager warm = root.newSubManager()) {
      loop.accept(warm, calls);
    }
    long t0 = System.nanoTime();
    try (NDManager m = root.newSubManager()) {
      loop.accept(m, calls);
    }
    rows.add(new Row(op, (System.nanoTime() - t0) / 1e3 / calls));
  }

  /** Prints the table; the optional argument is the number of calls per op (default 3000). */
  public static void main(String[] args) {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
    List<Row> rows = run(calls);
    System.out.printf(
        Locale.ROOT,
        "op overhead: %d calls per op on 2x2 float32 arrays, results freed with their manager; JVM %s (%s)%n",
        calls,
        System.getProperty("java.vm.version"),
        System.getProperty("java.vm.info"));
    for (Row r : rows) {
      System.out.printf(Locale.ROOT, "%-42s %8.2f us/call%n", r.op(), r.microsPerCall());
    }
  }
}
