package ai.attune.iapo.train;

import ai.attune.core.noise.SeededNoise;
import ai.attune.iapo.data.VqaExample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Which questions each step visits: passes over the training set, each in a fresh permutation
 * seeded with {@code derive(shuffleSeed, pass)}; step s (1-based) takes the next {@code
 * promptsPerStep} questions after the {@code (s - 1) · promptsPerStep} before it. A pure function
 * of the step, so a resumed run visits what an uninterrupted one would.
 */
final class PromptOrder {
  private final List<VqaExample> examples;
  private final int perStep;
  private final long seed;
  private long cachedPass = -1;
  private List<Integer> cached;

  PromptOrder(List<VqaExample> examples, int perStep, long seed) {
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("no training questions");
    }
    this.examples = List.copyOf(examples);
    this.perStep = perStep;
    this.seed = seed;
  }

  /** The questions of step {@code step}. */
  List<VqaExample> batch(long step) {
    List<VqaExample> out = new ArrayList<>(perStep);
    int n = examples.size();
    for (int p = 0; p < perStep; p++) {
      long position = (step - 1) * perStep + p;
      out.add(examples.get(permutation(position / n).get((int) (position % n))));
    }
    return out;
  }

  private List<Integer> permutation(long pass) {
    if (pass != cachedPass) {
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < examples.size(); i++) {
        order.add(i);
      }
      Collections.shuffle(order, new Random(SeededNoise.derive(seed, pass)));
      cached = order;
      cachedPass = pass;
    }
    return cached;
  }
}
