package ai.attune.spark.train;

/**
 * The workers of a data-parallel run no longer hold bit-identical weights: the run stops, since
 * every later step would train different models. Causes: workers on different devices, engines or
 * libtorch builds, or noise drawn concurrently with another thread's engine draws.
 */
public final class WorkersDivergedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  WorkersDivergedException(long step, int rank, long mine, int other, long theirs) {
    super(
        String.format(
            "the workers' weights diverged at step %d: worker %d has checksum %08x,"
                + " worker %d %08x (run every worker on the same device type, dtype and libtorch)",
            step, rank, mine, other, theirs));
  }
}
