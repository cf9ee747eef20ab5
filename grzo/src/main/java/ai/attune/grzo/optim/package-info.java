/**
 * The zeroth-order optimizers: {@code MezoOptimizer} (one seeded Gaussian direction per step) and
 * {@code GrzoOptimizer} (one Flipout perturbation per example, group-relative update from
 * regenerated noise), behind {@code ZerothOrderOptimizer}.
 */
package ai.attune.grzo.optim;
