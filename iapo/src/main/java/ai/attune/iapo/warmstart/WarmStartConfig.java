package ai.attune.iapo.warmstart;

import ai.attune.core.optim.AdamWConfig;
import java.util.Objects;

/**
 * How {@link SupervisedWarmStart} trains.
 *
 * @param steps optimizer steps; >= 1
 * @param batchSize demonstrations per step, drawn without replacement from a reshuffled pass over
 *     the set; >= 1
 * @param optimizer the AdamW settings
 * @param seed seeds the order of the demonstrations
 * @param schedule how the learning rate moves over the steps
 * @param warmupSteps steps over which the learning rate first rises linearly from 0; in [0, steps)
 */
public record WarmStartConfig(
    int steps,
    int batchSize,
    AdamWConfig optimizer,
    long seed,
    Schedule schedule,
    int warmupSteps) {

  /** Learning-rate schedules (HF {@code lr_scheduler_type} names). */
  public enum Schedule {
    /** The optimizer's learning rate throughout (after warm-up). */
    CONSTANT,
    /** From the optimizer's learning rate down to 0 at the last step (HF's default). */
    LINEAR
  }

  /** Linear decay without warm-up. */
  public WarmStartConfig(int steps, int batchSize, AdamWConfig optimizer, long seed) {
    this(steps, batchSize, optimizer, seed, Schedule.LINEAR, 0);
  }

  public WarmStartConfig {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(schedule, "schedule");
    if (warmupSteps < 0 || warmupSteps >= steps) {
      throw new IllegalArgumentException(
          "warm-up steps must be in [0, " + steps + "), got " + warmupSteps);
    }
  }

  /**
   * The learning rate of step {@code step} (0-based), as HF's {@code get_linear_schedule_with_
   * warmup} and {@code get_constant_schedule_with_warmup} give it: {@code lr · step / warmup}
   * during warm-up, then {@code lr}, or {@code lr · (steps - step) / (steps - warmup)}.
   */
  public double learningRate(int step) {
    double lr = optimizer.lr();
    if (step < warmupSteps) {
      return lr * step / warmupSteps;
    }
    return schedule == Schedule.CONSTANT
        ? lr
        : lr * (steps - step) / (double) (steps - warmupSteps);
  }
}
