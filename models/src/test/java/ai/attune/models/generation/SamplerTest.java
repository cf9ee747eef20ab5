package ai.attune.models.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The sampler against known distributions: 10 000 draws per case, judged by a chi-square
 * goodness-of-fit test at p = 0.001, and the kept sets of top-k and top-p computed by hand.
 */
@Tag("engine")
class SamplerTest {
  static final int DRAWS = 10_000;

  /** Upper 0.001 quantiles of chi-square with 1..7 degrees of freedom. */
  static final double[] CRITICAL_0_001 = {10.828, 13.816, 16.266, 18.467, 20.515, 22.458, 24.322};

  /** A distribution over 8 tokens, deliberately not sorted. */
  static final double[] P = {0.05, 0.25, 0.015, 0.1, 0.4, 0.005, 0.15, 0.03};

  static NDManager root;

  @BeforeAll
  static void start() {
    root = Engines.newManager(DevicePolicy.CPU);
  }

  @AfterAll
  static void stop() {
    root.close();
  }

  /** log p shifted by a constant (the sampler must not care), repeated in {@code rows} rows. */
  static NDArray logits(NDManager m, double[] p, int rows) {
    float[] flat = new float[rows * p.length];
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < p.length; i++) {
        flat[r * p.length + i] = (float) (Math.log(p[i]) + 3.0);
      }
    }
    return m.create(flat).reshape(rows, p.length);
  }

  static long[] counts(GenerationConfig config, double[] p, long seed) {
    try (NDManager m = root.newSubManager()) {
      long[] tokens =
          Sampler.sample(logits(m, p, DRAWS), config, new SplittableRandom(seed)).toLongArray();
      long[] counts = new long[p.length];
      for (long t : tokens) {
        counts[(int) t]++;
      }
      return counts;
    }
  }

  /** Pearson's statistic over the tokens with expected probability > 0. */
  static double chiSquare(long[] counts, double[] expected) {
    double stat = 0;
    for (int i = 0; i < counts.length; i++) {
      if (expected[i] > 0) {
        double e = expected[i] * DRAWS;
        stat += (counts[i] - e) * (counts[i] - e) / e;
      }
    }
    return stat;
  }

  /** {@code p} restricted to {@code kept} and renormalised. */
  static double[] restricted(double[] p, int... kept) {
    double[] q = new double[p.length];
    double sum = 0;
    for (int i : kept) {
      sum += p[i];
    }
    for (int i : kept) {
      q[i] = p[i] / sum;
    }
    return q;
  }

  static double assertFits(long[] counts, double[] expected, int keptTokens, String what) {
    double stat = chiSquare(counts, expected);
    double critical = CRITICAL_0_001[keptTokens - 2];
    System.out.printf(
        "chi-square %s: %.3f (df %d, critical %.3f at p = 0.001)%n",
        what, stat, keptTokens - 1, critical);
    assertThat(stat).as("chi-square of %s", what).isLessThan(critical);
    for (int i = 0; i < counts.length; i++) {
      if (expected[i] == 0) {
        assertThat(counts[i]).as("draws of filtered token %d (%s)", i, what).isZero();
      }
    }
    return stat;
  }

  @Test
  void drawsFollowTheDistribution() {
    long[] counts = counts(GenerationConfig.sampling(1, 1.0, 11), P, 11);
    assertFits(counts, P, 8, "temperature 1");
  }

  @Test
  void temperatureSharpensAsPowerOfTheProbabilities() {
    double[] q = new double[P.length];
    double sum = 0;
    for (int i = 0; i < P.length; i++) {
      q[i] = Math.pow(P[i], 1 / 0.5);
      sum += q[i];
    }
    for (int i = 0; i < P.length; i++) {
      q[i] /= sum;
    }
    long[] counts = counts(GenerationConfig.sampling(1, 0.5, 12), P, 12);
    assertFits(counts, q, 8, "temperature 0.5");
  }

  @Test
  void topKDrawsOnlyTheThreeMostLikelyInRenormalisedProportions() {
    GenerationConfig c =
        GenerationConfig.builder().setMaxNewTokens(1).optTemperature(1).optTopK(3).build();
    long[] counts = counts(c, P, 13);
    assertFits(counts, restricted(P, 4, 1, 6), 3, "top-k 3");
  }

  @Test
  void topPKeepsTheSmallestSetReachingP() {
    // Sorted: .4 .25 .15 .1 .05 .03 .015 .005; cumulative .4 .65 .8 .9: p = .85 needs four.
    GenerationConfig c =
        GenerationConfig.builder().setMaxNewTokens(1).optTemperature(1).optTopP(0.85).build();
    assertThat(keptTokens(c, P)).containsExactly(1, 3, 4, 6);
    assertFits(counts(c, P, 14), restricted(P, 4, 1, 6, 3), 4, "top-p 0.85");
    // A second, ascending distribution: cumulative from the top .35 .6 .75 .83 .91.
    double[] rising = {0.02, 0.03, 0.05, 0.07, 0.08, 0.15, 0.25, 0.35};
    assertThat(keptTokens(c, rising)).containsExactly(3, 4, 5, 6, 7);
    // p = .6 needs two tokens; p = .01 still keeps the most likely one.
    assertThat(keptTokens(c.toBuilder().optTopP(0.6).build(), P)).containsExactly(1, 4);
    assertThat(keptTokens(c.toBuilder().optTopP(0.01).build(), P)).containsExactly(4);
  }

  @Test
  void topPAppliesAfterTopK() {
    // top-k 3 renormalises .4 .25 .15 to .5 .3125 .1875: p = .8 then keeps two.
    GenerationConfig c =
        GenerationConfig.builder()
            .setMaxNewTokens(1)
            .optTemperature(1)
            .optTopK(3)
            .optTopP(0.8)
            .build();
    assertThat(keptTokens(c, P)).containsExactly(1, 4);
  }

  /** The tokens {@link Sampler#warp} leaves finite, and the kept logits unchanged (T = 1). */
  static int[] keptTokens(GenerationConfig c, double[] p) {
    try (NDManager m = root.newSubManager()) {
      NDArray logits = logits(m, p, 1);
      float[] raw = logits.toFloatArray();
      float[] warped = Sampler.warp(logits, c).toFloatArray();
      List<Integer> kept = new ArrayList<>();
      for (int i = 0; i < warped.length; i++) {
        if (warped[i] != Float.NEGATIVE_INFINITY) {
          assertThat(warped[i]).isEqualTo(raw[i]);
          kept.add(i);
        }
      }
      return kept.stream().mapToInt(Integer::intValue).toArray();
    }
  }

  @Test
  void greedyIsArgmaxAndSamplingIsReproducible() {
    try (NDManager m = root.newSubManager()) {
      NDArray logits = logits(m, P, 4);
      assertThat(Sampler.sample(logits, GenerationConfig.greedy(1), (NDArray) null).toLongArray())
          .containsOnly(4L);
      GenerationConfig c = GenerationConfig.sampling(1, 1.0, 0);
      long[] a = Sampler.sample(logits(m, P, 64), c, new SplittableRandom(5)).toLongArray();
      long[] b = Sampler.sample(logits(m, P, 64), c, new SplittableRandom(5)).toLongArray();
      long[] other = Sampler.sample(logits(m, P, 64), c, new SplittableRandom(6)).toLongArray();
      assertThat(a).containsExactly(b).isNotEqualTo(other);
    }
  }

  @Test
  void uniformsAreStrictlyInsideTheUnitInterval() {
    try (NDManager m = root.newSubManager()) {
      SplittableRandom[] rows = new SplittableRandom[1000];
      Arrays.fill(rows, new SplittableRandom(1));
      float[] u = Sampler.uniforms(m, rows).toFloatArray();
      for (float x : u) {
        assertThat(x).isGreaterThan(0f).isLessThan(1f);
      }
      NDArray logits = logits(m, P, 2);
      assertThatThrownBy(
              () ->
                  Sampler.sample(
                      logits, GenerationConfig.sampling(1, 1, 0), m.create(new float[] {0.5f})))
          .hasMessageContaining("uniforms of shape [2]");
    }
  }
}
