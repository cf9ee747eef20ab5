/**
 * Llama-3 (and Qwen2, read through its own config reader): decoder layers, configuration and the
 * causal LM.
 */
package ai.attune.models.llama;
