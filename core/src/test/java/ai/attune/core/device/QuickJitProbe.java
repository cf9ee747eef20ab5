package ai.attune.core.device;

/**
 * Run in a JVM of its own by {@link QuickJitTest}, with {@code -XX:+PrintCompilation}: applies
 * {@code -Dattune.jit} (default quick) as Attune's command line does, prints the decision, then
 * calls a small loop often enough that the JVM compiles it at its top tier, and prints its result.
 */
public final class QuickJitProbe {
  static final int ROUNDS = 100;
  static final int CALLS = 2_000;

  private QuickJitProbe() {}

  /** What {@link #main} prints after "sum": the same calls, without the pauses. */
  static long expectedSum() {
    long sum = 0;
    for (int i = 0; i < CALLS; i++) {
      sum += hot(i);
    }
    return sum * ROUNDS;
  }

  public static void main(String[] args) throws InterruptedException {
    QuickJit.Decision decision = QuickJit.applyFromProperty(QuickJit.Mode.QUICK);
    System.out.println("decision " + decision.quick() + " " + decision.reason());
    long sum = 0;
    for (int round = 0; round < ROUNDS; round++) {
      for (int i = 0; i < CALLS; i++) {
        sum += hot(i);
      }
      Thread.sleep(10); // a second in all, for a busy machine's compile queue
    }
    System.out.println("sum " + sum);
  }

  /** Hot enough after a few thousand calls for C2, and not trivial (so not C1's straight away). */
  static long hot(int seed) {
    long x = seed;
    for (int i = 0; i < 64; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
      x ^= x >>> 29;
    }
    return x & 0xff;
  }
}
