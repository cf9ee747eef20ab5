/**
 * GRZO's group-relative estimator: the per-example coefficients a_i of each {@code EstimatorMode}
 * from the losses of the + and − passes, with the optional std floor and clip (grzo.md §2).
 */
package ai.attune.grzo.estimator;
