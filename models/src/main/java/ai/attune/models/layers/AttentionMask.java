package ai.attune.models.layers;

import ai.djl.ndarray.NDArray;

/**
 * An attention mask in the two forms attention needs, built once per forward pass.
 *
 * @param additive float32 {@code [B, 1, Tq, Tk]}: 0 where a key is visible, the float32 minimum
 *     where it is not
 * @param rowVisible float32 {@code [B, 1, Tq, 1]}: 1 for a query that sees at least one key, 0 for
 *     a query that sees none (a left-padding position); attention outputs zeros there, as PyTorch's
 *     scaled-dot-product attention does and HF's reference logits show
 */
public record AttentionMask(NDArray additive, NDArray rowVisible) {}
