package ai.attune.models;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.params.ParameterStore;
import ai.djl.ndarray.NDArray;

/**
 * What every language model built from an HF checkpoint folder has in common, whether it predicts
 * the next token ({@link CausalLM}) or the token at each position ({@link MaskedLM}).
 *
 * <p>Lifecycle: built and loaded by {@link Models#loadAny} (parameters live in the model's own
 * manager), then used for any number of forward passes, each inside a per-step manager or scope of
 * the caller's, and closed when done, which frees the parameters.
 */
public interface LanguageModel extends AutoCloseable {

  /** Facts about the model that generation and losses need. */
  ModelInfo info();

  /** The named parameters, by HF name, in declaration order. */
  ParameterStore parameters();

  /** The compute type of weights and activations. */
  ComputeDtype dtype();

  /** The input embeddings ({@code inputs_embeds} in HF) of int64 ids {@code [B, T]}. */
  NDArray embed(NDArray inputIds);

  /**
   * The most tokens one row may hold: the rows of a learned position table (OPT, RoBERTa), or
   * {@link Long#MAX_VALUE} when positions are computed (rotary embeddings).
   */
  default long maxPositions() {
    return Long.MAX_VALUE;
  }

  /** Frees the parameters. */
  @Override
  default void close() {
    parameters().close();
  }
}
