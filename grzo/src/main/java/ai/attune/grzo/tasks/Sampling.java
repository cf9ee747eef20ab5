package ai.attune.grzo.tasks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Seeded selection of examples: the same list and seed always give the same selection, on any
 * machine (Fisher-Yates over {@link SplittableRandom}; the orders differ from numpy's, so a
 * selection is reproducible here, not identical to the Python code's).
 */
public final class Sampling {
  /** The data seeds of MeZO's RoBERTa few-shot experiments (k = 16 or 512 per class). */
  public static final List<Long> MEZO_DATA_SEEDS = List.of(13L, 21L, 42L, 87L, 100L);

  private Sampling() {}

  /** A train set and a dev set drawn from one list without overlap. */
  public record Split(List<TaskExample> train, List<TaskExample> dev) {
    public Split {
      train = List.copyOf(train);
      dev = List.copyOf(dev);
    }
  }

  /** A copy of {@code examples} in a seeded random order. */
  public static List<TaskExample> shuffled(List<TaskExample> examples, long seed) {
    List<TaskExample> out = new ArrayList<>(examples);
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = out.size() - 1; i > 0; i--) {
      Collections.swap(out, i, random.nextInt(i + 1));
    }
    return out;
  }

  /** The first {@code n} of {@code shuffled(examples, seed)}, all of them if there are fewer. */
  public static List<TaskExample> sample(List<TaskExample> examples, int n, long seed) {
    requireNonNegative(n, "n");
    List<TaskExample> s = shuffled(examples, seed);
    return List.copyOf(s.subList(0, Math.min(n, s.size())));
  }

  /**
   * MeZO's train/dev sampling: {@code numTrain + numDev} examples drawn with {@code seed}, the last
   * {@code numDev} of them the dev set. Fails if the list is too short.
   */
  public static Split trainDev(List<TaskExample> examples, int numTrain, int numDev, long seed) {
    requireNonNegative(numTrain, "numTrain");
    requireNonNegative(numDev, "numDev");
    if (numTrain + numDev > examples.size()) {
      throw new IllegalArgumentException(
          "asked for "
              + numTrain
              + " train + "
              + numDev
              + " dev examples, but only "
              + examples.size()
              + " are available");
    }
    List<TaskExample> s = sample(examples, numTrain + numDev, seed);
    return new Split(s.subList(0, numTrain), s.subList(numTrain, numTrain + numDev));
  }

  /**
   * The few-shot split of LM-BFF (MeZO's RoBERTa setting): the examples are shuffled with {@code
   * seed}; the first {@code k} of each label form the train set and the next {@code k} of each
   * label the dev set, both in shuffled order. Fails, naming the label, when a label has fewer than
   * {@code 2k} examples.
   */
  public static Split kShot(List<TaskExample> examples, int k, long seed) {
    if (k <= 0) {
      throw new IllegalArgumentException("k must be positive, got " + k);
    }
    TreeMap<Integer, Integer> seen = new TreeMap<>();
    List<TaskExample> train = new ArrayList<>();
    List<TaskExample> dev = new ArrayList<>();
    for (TaskExample e : shuffled(examples, seed)) {
      int count = seen.merge(e.label(), 1, Integer::sum);
      if (count <= k) {
        train.add(e);
      } else if (count <= 2 * k) {
        dev.add(e);
      }
    }
    seen.forEach(
        (label, count) -> {
          if (count < 2 * k) {
            throw new IllegalArgumentException(
                "label "
                    + label
                    + " has "
                    + count
                    + " examples; k = "
                    + k
                    + " needs "
                    + 2 * k
                    + " (k train + k dev)");
          }
        });
    return new Split(train, dev);
  }

  private static void requireNonNegative(int n, String name) {
    if (n < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + n);
    }
  }
}
