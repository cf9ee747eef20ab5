/**
 * The layer types every model is built from: linear, embedding, LayerNorm, RMSNorm, attention with
 * masks and rotary embeddings, the KV cache, activations, and {@code Scopes}, which frees a block's
 * intermediates when it is done.
 */
package ai.attune.models.layers;
