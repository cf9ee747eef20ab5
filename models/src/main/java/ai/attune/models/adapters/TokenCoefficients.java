package ai.attune.models.adapters;

/**
 * The row-sparse part of a GRZO step for one embedding table: for each token id seen in the batch,
 * {@code Σ a_i s_{i,t}} over its (unpadded) occurrences. Logged with the step because it depends on
 * the batch's tokens, which a replay does not have.
 */
public record TokenCoefficients(long[] ids, double[] coefficients) {
  public TokenCoefficients {
    if (ids.length != coefficients.length) {
      throw new IllegalArgumentException("one coefficient per token id");
    }
    ids = ids.clone();
    coefficients = coefficients.clone();
  }
}
