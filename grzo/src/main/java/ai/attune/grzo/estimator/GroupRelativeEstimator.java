package ai.attune.grzo.estimator;

import static ai.attune.core.config.InvalidSettingException.nonNegative;
import static ai.attune.core.config.InvalidSettingException.require;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Arrays;

/**
 * Computes GRZO's per-example coefficients a_i from the per-example losses of the + and − passes
 * (grzo.md §2), with the optional safeguards: a floor on the standard deviation and a clip on |a_i|
 * (both off when 0), and owns the step size those coefficients go with ({@link #stepScale}: η /
 * (2σB) for the two-sided modes, η / (σB) for the one-sided ones).
 *
 * <p>The standard deviation is the sample one (divide by B − 1), as the reference's {@code
 * delta.std()} (torch's default, {@code unbiased=True}). It is undefined for a batch of one, so the
 * normalising modes ({@code two_norm}, {@code one}) refuse B &lt; 2 unless a std floor is set (then
 * std = 0 and the floor divides).
 *
 * <p>Bound by Jackson straight from the {@code optimizer} section of a GRZO config (inside {@link
 * ai.attune.grzo.optim.GrzoConfig}); an error is an {@link
 * ai.attune.core.config.InvalidSettingException} naming the key.
 *
 * @param mode ({@code estimator}) the coefficients: {@code two_norm} (default, the paper's), {@code
 *     two}, {@code one} or {@code uniform} ({@link EstimatorMode})
 * @param stdFloor ({@code std_floor}) a floor on the batch std of the loss differences; >= 0;
 *     default 0 = off
 * @param clip ({@code clip}) a clip on |a_i|; >= 0; default 0 = off
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GroupRelativeEstimator(
    @JsonProperty("estimator") EstimatorMode mode, double stdFloor, double clip) {
  static final double EPS = 1e-8;

  public GroupRelativeEstimator {
    require(mode != null, "estimator", "expected one of two_norm, two, one, uniform");
    nonNegative(stdFloor, "std_floor");
    nonNegative(clip, "clip");
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
   * @param sigma the perturbation scale σ (unused: kept for callers; the divisor is in {@link
   *     #stepScale})
   * @throws IllegalArgumentException for B &lt; 2 in a normalising mode without a std floor
   */
  public double[] advantages(double[] plus, double[] minus, double sigma) {
    int b = plus.length;
    if (b < 2 && mode.normalises() && stdFloor == 0) {
      throw new IllegalArgumentException(
          "estimator "
              + mode
              + " divides by the sample std of"
              + " the batch, which needs a batch of at least 2 examples (got "
              + b
              + "); raise"
              + " train.batch_size or set optimizer.std_floor > 0");
    }
    double[] a = new double[b];
    switch (mode) {
      case UNIFORM:
        Arrays.fill(a, 1.0);
        return a;
      case ONE:
        {
          double mean = mean(plus);
          double std = floored(std(plus, mean));
          for (int i = 0; i < b; i++) {
            a[i] = (plus[i] - mean) / std;
          }
          break;
        }
      default:
        {
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

  /**
   * The factor the update multiplies Σ_i a_i (direction_i) by: η / (m σ B) with m = {@link
   * EstimatorMode#sigmaMultiple()} (2 for {@code two_norm}, {@code two}; 1 for {@code one}, {@code
   * uniform}).
   */
  public double stepScale(double learningRate, double sigma, int examples) {
    return learningRate / (mode.sigmaMultiple() * sigma * examples);
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

  /** The sample standard deviation (÷(n − 1)); 0 for n &lt; 2 (only reachable with a floor). */
  static double std(double[] x, double mean) {
    if (x.length < 2) {
      return 0;
    }
    double s = 0;
    for (double v : x) {
      s += (v - mean) * (v - mean);
    }
    return Math.sqrt(s / (x.length - 1));
  }
}
