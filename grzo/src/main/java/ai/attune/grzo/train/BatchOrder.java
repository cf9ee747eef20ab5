package ai.attune.grzo.train;

import ai.attune.core.noise.SeededNoise;
import java.util.SplittableRandom;

/**
 * Which training examples each step sees, as a pure function of the run seed and the step: the
 * examples are reshuffled every epoch with a generator seeded by {@code derive(seed, DATA, epoch)},
 * and step {@code t} (from 1) takes the {@code B} examples at its place in its epoch's order. An
 * epoch is {@code floor(n / B)} steps; the {@code n mod B} examples left at the end of an epoch's
 * order wait for a later epoch. A resumed run therefore needs only the step number to draw the same
 * batches as an uninterrupted one.
 */
final class BatchOrder {
  /** The first element of the seed path of data-order draws (step seeds have none). */
  static final long DATA = 0x44415441L;

  private final int examples;
  private final int batchSize;
  private final long seed;
  private final int stepsPerEpoch;
  private long cachedEpoch = -1;
  private int[] cachedOrder;

  BatchOrder(int examples, int batchSize, long seed) {
    if (batchSize < 1 || examples < batchSize) {
      throw new IllegalArgumentException(
          "train.batch_size "
              + batchSize
              + " needs at least"
              + " that many training examples, got "
              + examples);
    }
    this.examples = examples;
    this.batchSize = batchSize;
    this.seed = seed;
    this.stepsPerEpoch = examples / batchSize;
  }

  /** The indices of the examples of step {@code step} (1-based). */
  int[] batch(long step) {
    if (step < 1) {
      throw new IllegalArgumentException("steps count from 1, got " + step);
    }
    long epoch = (step - 1) / stepsPerEpoch;
    int at = (int) ((step - 1) % stepsPerEpoch) * batchSize;
    int[] order = order(epoch);
    int[] out = new int[batchSize];
    System.arraycopy(order, at, out, 0, batchSize);
    return out;
  }

  private int[] order(long epoch) {
    if (epoch != cachedEpoch) {
      int[] order = new int[examples];
      for (int i = 0; i < examples; i++) {
        order[i] = i;
      }
      SplittableRandom random = new SplittableRandom(SeededNoise.derive(seed, DATA, epoch));
      for (int i = examples - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int swap = order[i];
        order[i] = order[j];
        order[j] = swap;
      }
      cachedOrder = order;
      cachedEpoch = epoch;
    }
    return cachedOrder;
  }
}
