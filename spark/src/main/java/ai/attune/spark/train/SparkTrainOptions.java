package ai.attune.spark.train;

import java.io.Serializable;

/**
 * How a data-parallel run is spread over Spark.
 *
 * @param workers the number of workers (barrier tasks, one model each); the cluster must offer that
 *     many task slots at once
 * @param checksumEvery compare the workers' weights every this many steps (0: only at the end)
 * @param roundTimeoutMillis how long a worker waits for the others in one exchange round (worker 0
 *     evaluates between steps while the others wait, so this bounds an evaluation too)
 * @param failOnce a test hook that fails one task once; {@link FailOnce#NEVER} normally
 */
public record SparkTrainOptions(
    int workers, int checksumEvery, long roundTimeoutMillis, FailOnce failOnce)
    implements Serializable {

  public SparkTrainOptions {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    if (checksumEvery < 0) {
      throw new IllegalArgumentException("checksumEvery must be >= 0, got " + checksumEvery);
    }
    if (roundTimeoutMillis < 1) {
      throw new IllegalArgumentException(
          "roundTimeoutMillis must be >= 1, got " + roundTimeoutMillis);
    }
  }

  /** {@code workers} workers, weights compared every 10 steps, rounds wait up to 30 minutes. */
  public static SparkTrainOptions of(int workers) {
    return new SparkTrainOptions(workers, 10, 30 * 60_000L, FailOnce.NEVER);
  }

  /** The same options with another test hook. */
  public SparkTrainOptions withFailOnce(FailOnce f) {
    return new SparkTrainOptions(workers, checksumEvery, roundTimeoutMillis, f);
  }

  /**
   * Test hook: worker {@code rank} throws before step {@code step} in the first attempt of the
   * barrier stage, so that Spark reruns the stage and the run resumes from its checkpoint.
   *
   * @param rank the worker that fails (-1: none)
   * @param step the step before which it fails
   */
  public record FailOnce(int rank, long step) implements Serializable {
    /** No failure. */
    public static final FailOnce NEVER = new FailOnce(-1, 0);

    void check(int worker, int stageAttempt, long now) {
      if (worker == rank && stageAttempt == 0 && now == step) {
        throw new IllegalStateException(
            "test hook: worker " + rank + " fails before step " + step + " in stage attempt 0");
      }
    }
  }
}
