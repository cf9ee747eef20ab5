package ai.attune.grzo.optim;

import ai.attune.models.adapters.PerturbationKind;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Settings of {@link MezoOptimizer} (grzo.md §1).
 *
 * @param sigma the perturbation scale σ ({@code zo_eps}, default 1e-3)
 * @param weightDecay λ, applied to linear weights and embeddings, never to biases and norms
 * @param exactRestore keep each parameter's pre-step value (one extra copy of the trainable
 *     weights) and restore it after the two passes, instead of the +σ/−2σ/+σ sequence, which does
 *     not restore float16 weights exactly
 * @param trainHead also perturb and update the output head ({@link OutputHead}) and an embedding
 *     tied to it; off by default
 * @param layerKinds null (MeZO's own setting): every trainable parameter; otherwise only the
 *     parameters GRZO would perturb with these kinds and {@code trainHead} (linear weights, norm
 *     gains, untied embedding tables; no biases), so a comparison trains the same parameters
 */
public record MezoConfig(
    double sigma,
    double weightDecay,
    boolean exactRestore,
    boolean trainHead,
    Set<PerturbationKind> layerKinds) {
  public MezoConfig {
    if (!(sigma > 0) || !Double.isFinite(sigma)) {
      throw new IllegalArgumentException("sigma must be finite and > 0, got " + sigma);
    }
    if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
      throw new IllegalArgumentException(
          "weight decay must be finite and >= 0, got " + weightDecay);
    }
    if (layerKinds != null) {
      if (layerKinds.isEmpty()) {
        throw new IllegalArgumentException("layerKinds must be null or name at least one kind");
      }
      layerKinds = Collections.unmodifiableSet(EnumSet.copyOf(layerKinds));
    }
  }

  /** Settings with the output head frozen. */
  public MezoConfig(double sigma, double weightDecay, boolean exactRestore) {
    this(sigma, weightDecay, exactRestore, false, null);
  }

  /** Settings over every trainable parameter. */
  public MezoConfig(double sigma, double weightDecay, boolean exactRestore, boolean trainHead) {
    this(sigma, weightDecay, exactRestore, trainHead, null);
  }

  /** MeZO's defaults: σ = 1e-3, no weight decay, restore by the +σ/−2σ/+σ sequence, head frozen. */
  public static MezoConfig defaults() {
    return new MezoConfig(1e-3, 0, false);
  }
}
