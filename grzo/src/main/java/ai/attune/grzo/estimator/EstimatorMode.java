package ai.attune.grzo.estimator;

import java.util.Locale;

/**
 * How GRZO turns the two passes' per-example losses into per-example coefficients a_i
 * (grzo.md §2). With δ_i = (ℓ_i+ − ℓ_i−)/2:
 *
 * <ul>
 *   <li>{@link #TWO_NORM} (default, the paper's setting): a_i = δ_i / (std_j δ_j + 1e-8), no mean
 *       subtraction;
 *   <li>{@link #TWO}: a_i = δ_i;
 *   <li>{@link #ONE}: one-sided, a_i = (ℓ_i+ − mean ℓ+) / std(ℓ+), divided by σ (only the +
 *       pass is needed);
 *   <li>{@link #UNIFORM}: a_i = 1 (an ablation: the direction ignores the losses).
 * </ul>
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
