package ai.attune.models.layers;

import java.util.Locale;

/**
 * How rotary position embeddings turn positions into angles: the base {@code theta}, the rotated
 * width {@code dim} (the head dimension) and the frequency scaling of the checkpoint.
 *
 * <p>Unused scaling fields are 1 ({@code factor}, the two frequency factors) and 0 ({@code
 * originalMaxPositions}); build instances with {@link #standard}, {@link #linear} or {@link
 * #llama3}, which validate what each type needs.
 *
 * @param factor context extension factor ({@code linear}: positions divided by it; {@code llama3}:
 *     low frequencies divided by it)
 * @param lowFreqFactor {@code llama3}: wavelengths above {@code originalMaxPositions /
 *     lowFreqFactor} are fully scaled
 * @param highFreqFactor {@code llama3}: wavelengths below {@code originalMaxPositions /
 *     highFreqFactor} are kept; those between are interpolated
 * @param originalMaxPositions {@code llama3}: the context length of pre-training
 */
public record RopeParameters(
    Type type,
    double theta,
    int dim,
    double factor,
    double lowFreqFactor,
    double highFreqFactor,
    int originalMaxPositions) {

  /** The frequency scalings supported, by their HF {@code rope_type} names. */
  public enum Type {
    /** HF {@code default}: {@code theta^(-2i/dim)}. */
    DEFAULT,
    /** HF {@code linear}: every frequency divided by {@code factor}. */
    LINEAR,
    /** HF {@code llama3}: Llama 3.1's piecewise scaling of the low frequencies. */
    LLAMA3;

    /** The HF name ({@code default}, {@code linear}, {@code llama3}). */
    public String hfName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public RopeParameters {
    if (type == null) {
      throw new IllegalArgumentException("rope type is null");
    }
    if (!(theta > 0) || Double.isInfinite(theta)) {
      throw new IllegalArgumentException("rope theta must be positive and finite, got " + theta);
    }
    if (dim <= 0 || dim % 2 != 0) {
      throw new IllegalArgumentException("rotary dim must be positive and even, got " + dim);
    }
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("rope factor must be positive and finite, got " + factor);
    }
    if (type == Type.LLAMA3) {
      if (!(lowFreqFactor > 0) || !(highFreqFactor > lowFreqFactor)) {
        throw new IllegalArgumentException(
            "llama3 rope needs 0 < low_freq_factor ("
                + lowFreqFactor
                + ") < high_freq_factor ("
                + highFreqFactor
                + ")");
      }
      if (originalMaxPositions <= 0) {
        throw new IllegalArgumentException(
            "llama3 rope needs original_max_position_embeddings > 0, got " + originalMaxPositions);
      }
    }
  }

  /** Unscaled rotary embeddings. */
  public static RopeParameters standard(double theta, int dim) {
    return new RopeParameters(Type.DEFAULT, theta, dim, 1, 1, 1, 0);
  }

  /** Linear (position interpolation) scaling by {@code factor}. */
  public static RopeParameters linear(double theta, int dim, double factor) {
    return new RopeParameters(Type.LINEAR, theta, dim, factor, 1, 1, 0);
  }

  /** Llama 3.1 scaling. */
  public static RopeParameters llama3(
      double theta,
      int dim,
      double factor,
      double lowFreqFactor,
      double highFreqFactor,
      int originalMaxPositions) {
    return new RopeParameters(
        Type.LLAMA3, theta, dim, factor, lowFreqFactor, highFreqFactor, originalMaxPositions);
  }
}
