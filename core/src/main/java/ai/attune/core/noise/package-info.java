/**
 * Seeded noise: {@code SeededNoise} draws Gaussian and Rademacher tensors from the engine's
 * process-global generator under an explicit seed, so the same seed gives the same noise in the
 * same parameter order.
 */
package ai.attune.core.noise;
