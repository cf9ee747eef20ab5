/**
 * The model adapters both methods share: {@code CausalLM} and {@code MaskedLM} (the interfaces
 * every model implements), {@code Models} (builds a model from a checkpoint folder by {@code
 * model_type}) and {@code LanguageModelLoss}.
 */
package ai.attune.models;
