/** Qwen2 configuration reading; the model itself is the Llama decoder with Qwen2's biases. */
package ai.attune.models.qwen2;
