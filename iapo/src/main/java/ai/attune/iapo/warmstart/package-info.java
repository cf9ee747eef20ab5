/**
 * The supervised warm start: demonstrations built like rollouts (a focus-tool call, its real
 * result, the answer) and policy-token cross-entropy with AdamW, full or LoRA.
 */
package ai.attune.iapo.warmstart;
