/**
 * {@code Generator}: batched KV-cache decoding of left-padded prompts, greedy or seeded sampling
 * (temperature, top-k, top-p), with the log-probability of every new token.
 */
package ai.attune.models.generation;
