/**
 * {@code AdamW} over the project's parameters: decoupled weight decay skipping biases and norms,
 * global-norm clipping, float32 masters for float16 weights, state saved as safetensors.
 */
package ai.attune.core.optim;
