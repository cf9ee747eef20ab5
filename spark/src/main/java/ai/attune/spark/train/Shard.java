package ai.attune.spark.train;

/**
 * One worker's contiguous share of a global batch of {@code B} examples split over {@code n}
 * workers: {@code B / n} each, the first {@code B mod n} workers one more; worker order is example
 * order, so concatenating the workers' losses in rank order gives the global batch's.
 *
 * @param offset the index of the worker's first example in the global batch
 * @param length how many examples it evaluates (at least one)
 */
public record Shard(int offset, int length) {

  /** The share of worker {@code rank} of {@code n}. */
  public static Shard of(int globalExamples, int workers, int rank) {
    if (workers < 1 || rank < 0 || rank >= workers) {
      throw new IllegalArgumentException("rank " + rank + " is not one of " + workers + " workers");
    }
    if (globalExamples < workers) {
      throw new IllegalArgumentException(
          "train.batch_size "
              + globalExamples
              + " is smaller than the number of workers "
              + workers
              + ": every worker needs at least one example");
    }
    int base = globalExamples / workers;
    int extra = globalExamples % workers;
    return new Shard(rank * base + Math.min(rank, extra), base + (rank < extra ? 1 : 0));
  }
}
