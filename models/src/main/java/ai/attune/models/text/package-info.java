/**
 * {@code TextTokenizer}: DJL's HuggingFace tokenizers over a checkpoint folder's {@code
 * tokenizer.json}.
 */
package ai.attune.models.text;
