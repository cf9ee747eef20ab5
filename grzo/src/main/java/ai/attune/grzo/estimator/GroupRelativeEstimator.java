package ai.attune.grzo.estimator;

import java.util.Arrays;

/**
 * Computes GRZO's per-example coefficients a_i from the per-example losses of the + and − passes
 * (grzo.md §2), with the optional safeguards: a floor on the standard deviation and a clip on
 * |a_i| (both off when 0).
 *
 * <p>The standard deviation is the population one (divide by B), as {@code torch.std(...,
 * unbiased=False)}; a batch of one has std 0, so a_1 = δ_1 / 1e-8 unless a floor is set.
 */
public record GroupRelativeEstimator(EstimatorMode mode, double stdFloor, double clip) {
  static final double EPS = 1e-8;

  public GroupRelativeEstimator {
    if (stdFloor < 0 || clip < 0 || Double.isNaN(stdFloor) || Double.isNaN(clip)) {
      throw new IllegalArgumentException("std floor and clip must be >= 0 (0 = off)");
    }
  }

  /** The paper's setting: {@code two_norm}, no floor, no clip. */
  public static GroupRelativeEstimator paperDefault() {
    return new GroupRelativeEstimator(EstimatorMode.TWO_NORM, 0, 0);
  }

  /**
   * The coefficients a_i.
   *
   * @param plus ℓ_i+ for each example
   * @param minus ℓ_i− for each example (ignored by {@code one} and {@code uniform}; may be null)
   * @param sigma the perturbation scale σ (used by {@code one})
   */
  public double[] advantages(double[] plus, double[] minus, double sigma) {
    int b = plus.length;
    double[] a = new double[b];
    switch (mode) {
      case UNIFORM:
        Arrays.fill(a, 1.0);
        return a;
      case ONE: {
        double mean = mean(plus);
        double std = floored(std(plus, mean));
        for (int i = 0; i < b; i++) {
          a[i] = (plus[i] - mean) / std / sigma;
        }
        break;
      }
      default: {
        requireSameLength(plus, minus);
        for (int i = 0; i < b; i++) {
          a[i] = (plus[i] - minus[i]) / 2;
        }
        if (mode == EstimatorMode.TWO_NORM) {
          double denom = floored(std(a, mean(a))); // the numerator keeps its mean
          for (int i = 0; i < b; i++) {
            a[i] = a[i] / denom;
          }
        }
      }
    }
    return clip(a);
  }

  private double floored(double std) {
    return Math.max(std, stdFloor) + EPS;
  }

  private double[] clip(double[] a) {
    if (clip > 0) {
      for (int i = 0; i < a.length; i++) {
        a[i] = Math.max(-clip, Math.min(clip, a[i]));
      }
    }
    return a;
  }

  private static void requireSameLength(double[] plus, double[] minus) {
    if (minus == null || minus.length != plus.length) {
      throw new IllegalArgumentException("the − pass must give one loss per example");
    }
  }

  static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }

  static double std(double[] x, double mean) {
    double s = 0;
    for (double v : x) {
      s += (v - mean) * (v - mean);
    }
    return Math.sqrt(s / x.length);
  }
}
