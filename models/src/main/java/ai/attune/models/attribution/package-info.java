/**
 * Gradients of a target log-probability with respect to the input embeddings: gradient×input and
 * integrated gradients ({@code InputGradients}) over a {@code TokenRange}.
 */
package ai.attune.models.attribution;
