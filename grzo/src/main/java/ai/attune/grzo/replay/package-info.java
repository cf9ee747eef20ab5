/**
 * {@code SeedLog}: a run's step seeds and coefficients, enough to rebuild its trained weights from
 * the base model.
 */
package ai.attune.grzo.replay;
