package ai.attune.grzo.estimator;

import java.util.Locale;

/**
 * How GRZO turns the two passes' per-example losses into per-example coefficients a_i (grzo.md §2),
 * and the divisor of the update that belongs to each. With δ_i = (ℓ_i+ − ℓ_i−)/2 and std the sample
 * standard deviation over the batch (÷(B−1), as torch's {@code std()}):
 *
 * <ul>
 *   <li>{@link #TWO_NORM} (default, the paper's setting): a_i = δ_i / (std_j δ_j + 1e-8), no mean
 *       subtraction; update divisor 2σB;
 *   <li>{@link #TWO}: a_i = δ_i; divisor 2σB;
 *   <li>{@link #ONE}: one-sided, a_i = (ℓ_i+ − mean ℓ+) / (std(ℓ+) + 1e-8) (only the + pass is
 *       needed); divisor σB;
 *   <li>{@link #UNIFORM}: a_i = 1 (an ablation: the direction ignores the losses); divisor σB.
 * </ul>
 *
 * <p>The divisor replaces 2σ for the one-sided modes; it is never applied on top of it.
 */
public enum EstimatorMode {
  TWO_NORM,
  TWO,
  ONE,
  UNIFORM;

  /** Whether the − pass is evaluated. */
  public boolean needsMinusPass() {
    return this == TWO_NORM || this == TWO;
  }

  /**
   * The update divides by this multiple of σB: 2 for {@code two_norm} and {@code two}, 1 for {@code
   * one} and {@code uniform}.
   */
  public int sigmaMultiple() {
    return needsMinusPass() ? 2 : 1;
  }

  /** Whether a_i is divided by the batch std (which needs B ≥ 2 unless a std floor is set). */
  public boolean normalises() {
    return this == TWO_NORM || this == ONE;
  }

  /** Parses {@code two_norm|two|one|uniform}. */
  public static EstimatorMode parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown estimator '" + text + "': use two_norm, two, one or uniform", e);
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
