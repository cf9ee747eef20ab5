package ai.attune.core.params;

/**
 * What a parameter is, as optimizers need to know it: weight decay skips biases and norm gains,
 * zeroth-order perturbations treat linear weights, norm gains and embedding rows differently.
 */
public enum ParamKind {
  /** A linear (or convolution) weight matrix. */
  LINEAR_WEIGHT,
  /** An additive bias of a linear layer. */
  BIAS,
  /** The gain of a LayerNorm or RMSNorm. */
  NORM_WEIGHT,
  /** The shift of a LayerNorm. */
  NORM_BIAS,
  /** An embedding table (token or position). */
  EMBEDDING;

  /** Whether weight decay applies (it does not for biases and norms). */
  public boolean decays() {
    return this == LINEAR_WEIGHT || this == EMBEDDING;
  }
}
