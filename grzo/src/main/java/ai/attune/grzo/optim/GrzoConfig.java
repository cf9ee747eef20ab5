package ai.attune.grzo.optim;

import static ai.attune.core.config.InvalidSettingException.require;

import ai.attune.grzo.estimator.GroupRelativeEstimator;
import ai.attune.models.adapters.PerturbationKind;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Settings of {@link GrzoOptimizer} (grzo.md §2), validated at construction. Bound by Jackson
 * straight from the {@code optimizer} section of a GRZO config, the keys of {@link ZoSettings} and
 * {@link GroupRelativeEstimator} ({@code estimator}, {@code std_floor}, {@code clip}) flat beside
 * its own; the defaults are {@link #paperDefault}, and an error is an {@link
 * ai.attune.core.config.InvalidSettingException} naming the key.
 *
 * @param shared σ and whether the output head trains, shared with MeZO
 * @param estimator how losses become per-example coefficients (paper: {@code two_norm})
 * @param fused ({@code fused}) evaluate the + and − passes as one batch of 2B rows; only for an
 *     estimator with a − pass; null (the default) picks it for every estimator that has one ({@code
 *     two_norm}, {@code two}): the fused pass was as fast or faster than two passes at every CPU
 *     shape measured on the Intel machine of docs/grzo.md and in the spec's H200 figures, and
 *     slower only at the smallest shape on the AMD one. The record holds the resolved value
 * @param kinds ({@code kinds}) the layer kinds perturbed and updated, any of {@code linear}, {@code
 *     norm}, {@code embedding}; default all three, the paper's ({@link #paperKinds}); an embedding
 *     tied to the output head stays frozen
 * @param cacheDirections ({@code cache_directions}) keep each linear layer's direction U for the
 *     whole step, so that it is drawn once instead of once per pass and once more for the update:
 *     faster where drawing U is a large share of the step (small models on the CPU), at the cost of
 *     a float32 copy of every perturbed linear weight; the same values either way; only with the
 *     Gaussian directions (no sparse, low-rank or quantized variant); default false
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GrzoConfig(
    @JsonUnwrapped ZoSettings shared,
    // an unwrapped component's own name is matched against the keys too: it must not be estimator
    @JsonUnwrapped @JsonProperty("estimator_settings") GroupRelativeEstimator estimator,
    Boolean fused,
    Set<PerturbationKind> kinds,
    boolean cacheDirections) {

  public GrzoConfig {
    require(shared != null, "sigma", "required field is missing");
    require(estimator != null, "estimator", "required field is missing");
    require(
        kinds != null && !kinds.isEmpty(), "kinds", "list at least one of linear, norm, embedding");
    for (PerturbationKind k : kinds) {
      require(k != null, "kinds", "must not contain null");
    }
    if (fused == null) {
      fused = estimator.mode().needsMinusPass();
    }
    require(
        !fused || estimator.mode().needsMinusPass(),
        "fused",
        "the fused pass runs + and − together; estimator " + estimator.mode() + " has no − pass");
    kinds = Collections.unmodifiableSet(EnumSet.copyOf(kinds));
  }

  /** Settings without the direction cache. */
  public GrzoConfig(
      ZoSettings shared,
      GroupRelativeEstimator estimator,
      Boolean fused,
      Set<PerturbationKind> kinds) {
    this(shared, estimator, fused, kinds, false);
  }

  /** Settings of σ and the head given apart. */
  public GrzoConfig(
      double sigma,
      GroupRelativeEstimator estimator,
      Boolean fused,
      Set<PerturbationKind> kinds,
      boolean trainHead) {
    this(new ZoSettings(sigma, trainHead), estimator, fused, kinds, false);
  }

  /** Settings with the output head frozen (the paper's setting). */
  public GrzoConfig(
      double sigma, GroupRelativeEstimator estimator, Boolean fused, Set<PerturbationKind> kinds) {
    this(sigma, estimator, fused, kinds, false);
  }

  /** These settings with the direction cache on or off. */
  public GrzoConfig withCacheDirections(boolean cache) {
    return new GrzoConfig(shared, estimator, fused, kinds, cache);
  }

  /** The perturbation scale σ. */
  public double sigma() {
    return shared.sigma();
  }

  /** Whether an untied output head is perturbed and updated too. */
  public boolean trainHead() {
    return shared.trainHead();
  }

  /** The paper's kinds: linear weights, norm gains and embedding tables (grzo.md §2). */
  public static Set<PerturbationKind> paperKinds() {
    return Collections.unmodifiableSet(EnumSet.allOf(PerturbationKind.class));
  }

  /**
   * The paper's setting: σ = 1e-3, {@code two_norm}, {@link #paperKinds}, head frozen, no direction
   * cache, and the ± passes fused (the same estimate as the paper's separate passes up to float
   * rounding). The YAML defaults of {@code grzo train} are these, except that an unset {@code
   * fused} follows the estimator the config names.
   */
  public static GrzoConfig paperDefault() {
    return new GrzoConfig(
        ZoSettings.defaults(), GroupRelativeEstimator.paperDefault(), null, paperKinds(), false);
  }
}
