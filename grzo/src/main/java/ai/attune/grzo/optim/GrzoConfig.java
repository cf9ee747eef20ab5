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
 * @param kinds the layer kinds perturbed and updated (paper: linear, norm and embedding)
 * @param trainHead also perturb and update an untied output head ({@link OutputHead}); off in the
 *     paper's setting. A tied head and the embedding it shares stay frozen either way (the tied
 *     head is not a perturbable layer, so GRZO cannot perturb it consistently)
 */
public record GrzoConfig(
    double sigma,
    GroupRelativeEstimator estimator,
    boolean fused,
    Set<PerturbationKind> kinds,
    boolean trainHead) {

  public GrzoConfig {
    if (!(sigma > 0) || !Double.isFinite(sigma)) {
      throw new IllegalArgumentException("sigma must be finite and > 0, got " + sigma);
    }
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("GRZO needs at least one kind of layer to perturb");
    }
    if (fused && !estimator.mode().needsMinusPass()) {
      throw new IllegalArgumentException(
          "fused runs the + and − passes together; estimator "
              + estimator.mode()
              + " has no − pass");
    }
    kinds = Collections.unmodifiableSet(EnumSet.copyOf(kinds));
  }

  /** Settings with the output head frozen (the paper's setting). */
  public GrzoConfig(
      double sigma, GroupRelativeEstimator estimator, boolean fused, Set<PerturbationKind> kinds) {
    this(sigma, estimator, fused, kinds, false);
  }

  /** The paper's kinds: linear weights, norm gains and embedding tables (grzo.md §2). */
  public static Set<PerturbationKind> paperKinds() {
    return Collections.unmodifiableSet(EnumSet.allOf(PerturbationKind.class));
  }

  /**
   * The paper's setting: σ = 1e-3, {@code two_norm}, {@link #paperKinds}, separate passes, head
   * frozen. The YAML defaults of {@code grzo train} are the same.
   */
  public static GrzoConfig paperDefault() {
    return new GrzoConfig(1e-3, GroupRelativeEstimator.paperDefault(), false, paperKinds());
  }
}
