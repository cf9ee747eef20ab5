/**
 * {@code GrzoBench}: per-step time and peak memory of forward, MeZO, GRZO and fused GRZO on a
 * random-weight model of a given shape.
 */
package ai.attune.grzo.bench;
