package ai.attune.iapo.warmstart;

import ai.attune.iapo.optim.AdamWConfig;
import java.util.Objects;

/**
 * How {@link SupervisedWarmStart} trains.
 *
 * @param steps optimizer steps; >= 1
 * @param batchSize demonstrations per step, drawn without replacement from a reshuffled pass
 *     over the set; >= 1
 * @param optimizer the AdamW settings
 * @param seed seeds the order of the demonstrations
 */
public record WarmStartConfig(int steps, int batchSize, AdamWConfig optimizer, long seed) {
  public WarmStartConfig {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    Objects.requireNonNull(optimizer, "optimizer");
  }
}
