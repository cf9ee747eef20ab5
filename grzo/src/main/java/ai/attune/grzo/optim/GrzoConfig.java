package ai.attune.grzo.optim;

import ai.attune.grzo.estimator.GroupRelativeEstimator;
import ai.attune.models.adapters.PerturbationKind;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Settings of {@link GrzoOptimizer} (grzo.md §2).
 *
 * @param sigma the perturbation scale σ ({@code zo_eps}, paper: 1e-3)
 * @param estimator how losses become per-example coefficients (paper: {@code two_norm})
 * @param fused run the + and − passes as one batch of 2B rows
 * @param kinds the layer kinds perturbed and updated (linear, norm, embedding); the output head
 *     and any embedding tied to it stay frozen
 */
public record GrzoConfig(
    double sigma, GroupRelativeEstimator estimator, boolean fused, Set<PerturbationKind> kinds) {

  public GrzoConfig {
    if (!(sigma > 0) || !Double.isFinite(sigma)) {
      throw new IllegalArgumentException("sigma must be finite and > 0, got " + sigma);
    }
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("GRZO needs at least one kind of layer to perturb");
    }
    if (fused && !estimator.mode().needsMinusPass()) {
      throw new IllegalArgumentException(
          "fused runs the + and − passes together; estimator " + estimator.mode()
              + " has no − pass");
    }
    kinds = Collections.unmodifiableSet(EnumSet.copyOf(kinds));
  }

  /** The paper's setting: σ = 1e-3, {@code two_norm}, every kind, separate passes. */
  public static GrzoConfig paperDefault() {
    return new GrzoConfig(1e-3, GroupRelativeEstimator.paperDefault(), false,
        EnumSet.allOf(PerturbationKind.class));
  }
}
