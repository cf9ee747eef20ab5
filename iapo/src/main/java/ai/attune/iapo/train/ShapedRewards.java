package ai.attune.iapo.train;

import ai.attune.iapo.attribution.TeacherAlignment;
import java.util.SplittableRandom;

/**
 * The shaped rewards r_i = r_out,i − λ·D_i of a step's rollouts (iapo.md §2 step 5), G rollouts of
 * each prompt adjacent.
 *
 * <p>A rollout without a tool call has no attribution, hence no measured D. Leaving it unpenalised
 * would make dropping tools the cheapest way to raise the shaped reward; instead it gets the D that
 * {@link NoToolDivergence} names: by default the largest D of its group, so a rollout that skips
 * tools is never penalised less than any rollout of its group that called one. A group where no
 * rollout called a tool has no D at all and keeps r = r_out (every rollout of it would get the same
 * D, which the group-relative advantage cancels).
 *
 * <p>The placebo control ({@code alignment.placebo}) shuffles the D values (after filling in the
 * rollouts without a tool call) within each group, seeded, before shaping: the rewards keep their
 * values but lose their link to the rollouts. It exists for experiments that ask whether the link
 * matters.
 */
final class ShapedRewards {
  private ShapedRewards() {}

  /**
   * The D of a rollout without a tool call: {@code group_max} (default), or a fixed value D_max,
   * given as a number.
   *
   * @param fixed D_max, or NaN for the group's largest D
   */
  record NoToolDivergence(double fixed) {
    static final NoToolDivergence GROUP_MAX = new NoToolDivergence(Double.NaN);

    NoToolDivergence {
      if (fixed < 0 || Double.isInfinite(fixed)) {
        throw new IllegalArgumentException("D_max must be finite and >= 0, got " + fixed);
      }
    }

    /** {@code group_max} or a number >= 0. */
    static NoToolDivergence parse(String text) {
      if (text.equals("group_max")) {
        return GROUP_MAX;
      }
      try {
        return new NoToolDivergence(Double.parseDouble(text));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "expected group_max or a number >= 0, got '" + text + "'");
      }
    }

    double forGroup(double groupMax) {
      return Double.isNaN(fixed) ? groupMax : fixed;
    }
  }

  /**
   * The D each rollout is penalised with: its own where it was measured, the {@code noTool} value
   * where it is NaN (no tool call); NaN for a whole group without any measured D.
   */
  static double[] effectiveDivergences(double[] d, int groupSize, NoToolDivergence noTool) {
    requireGroups(d.length, groupSize);
    double[] out = d.clone();
    for (int g = 0; g < d.length; g += groupSize) {
      double max = Double.NaN;
      for (int i = g; i < g + groupSize; i++) {
        if (!Double.isNaN(d[i])) {
          max = Double.isNaN(max) ? d[i] : Math.max(max, d[i]);
        }
      }
      if (Double.isNaN(max)) {
        continue;
      }
      for (int i = g; i < g + groupSize; i++) {
        if (Double.isNaN(out[i])) {
          out[i] = noTool.forGroup(max);
        }
      }
    }
    return out;
  }

  /** Shuffles {@code d} within each group of {@code groupSize}, seeded (the placebo). */
  static double[] shuffledWithinGroups(double[] d, int groupSize, long seed) {
    requireGroups(d.length, groupSize);
    double[] out = d.clone();
    SplittableRandom random = new SplittableRandom(seed);
    for (int g = 0; g < d.length; g += groupSize) {
      for (int i = groupSize - 1; i > 0; i--) { // Fisher–Yates
        int j = random.nextInt(i + 1);
        double t = out[g + i];
        out[g + i] = out[g + j];
        out[g + j] = t;
      }
    }
    return out;
  }

  /** r_out − λ·D where D is defined, r_out where it is NaN. */
  static double[] shape(double[] rOut, double[] d, double lambda) {
    if (rOut.length != d.length) {
      throw new IllegalArgumentException(rOut.length + " rewards but " + d.length + " divergences");
    }
    double[] out = new double[rOut.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Double.isNaN(d[i]) ? rOut[i] : TeacherAlignment.shapedReward(rOut[i], lambda, d[i]);
    }
    return out;
  }

  private static void requireGroups(int n, int groupSize) {
    if (groupSize < 1 || n % groupSize != 0) {
      throw new IllegalArgumentException(n + " rollouts are not groups of " + groupSize);
    }
  }
}
