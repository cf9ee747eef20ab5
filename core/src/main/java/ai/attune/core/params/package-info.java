/**
 * Named parameters: {@code Parameter} and {@code ParameterStore} (parameters by HF name, tied
 * aliases, declaration order, kinds) and {@code CheckpointLoader}, which maps checkpoint names
 * explicitly, asserts every shape and reports missing and unexpected tensors.
 */
package ai.attune.core.params;
