package ai.attune.models;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.params.ParameterStore;
import ai.djl.ndarray.NDArray;
import java.util.Map;

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

  /**
   * The rows each embedding table of the model looks up for a batch, by table name: for each row of
   * {@code rowTokens} (token ids, -1 at padding) the table row each position reads, -1 at padding.
   * A token table reads the token ids; a learned position table (OPT, RoBERTa) the position ids the
   * model derives from the padding. GRZO keys its row-sparse embedding update on them. A view that
   * is not trained on its own (a prompt view of a vision-language model) does not say.
   *
   * @throws UnsupportedOperationException for such a view
   */
  default Map<String, long[][]> embeddingRows(long[][] rowTokens) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " does not say which embedding rows it looks up");
  }

  /** Frees the parameters. */
  @Override
  default void close() {
    parameters().close();
  }
}
