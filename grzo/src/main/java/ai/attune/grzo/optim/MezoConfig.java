package ai.attune.grzo.optim;

import static ai.attune.core.config.InvalidSettingException.nonNegative;
import static ai.attune.core.config.InvalidSettingException.require;

import ai.attune.models.adapters.PerturbationKind;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Settings of {@link MezoOptimizer} (grzo.md §1), validated at construction. Bound by Jackson
 * straight from the {@code optimizer} section of a GRZO config, the keys of {@link ZoSettings} flat
 * beside its own (its layer kinds are no key: the section's {@code mezo_params} picks them); the
 * defaults are {@link #defaults}, and an error is an {@link
 * ai.attune.core.config.InvalidSettingException} naming the key.
 *
 * @param shared σ and whether the output head (and an embedding tied to it) trains, shared with
 *     GRZO
 * @param weightDecay ({@code weight_decay}) λ, applied to linear weights and embeddings, never to
 *     biases and norms; >= 0; default 0
 * @param exactRestore ({@code exact_restore}) keep each parameter's pre-step value (one extra copy
 *     of the trainable weights) and restore it after the two passes, instead of the +σ/−2σ/+σ
 *     sequence, whose float rounding drifts the weights slightly (float16 weights then come back
 *     exactly, and a replay of the seed log is bit-exact); default false
 * @param layerKinds null (MeZO's own setting): every trainable parameter but the head; otherwise
 *     only the parameters GRZO would perturb with these kinds and {@code trainHead} (linear
 *     weights, norm gains, untied embedding tables; no biases), so a comparison trains the same
 *     parameters
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MezoConfig(
    @JsonUnwrapped ZoSettings shared,
    double weightDecay,
    boolean exactRestore,
    @JsonIgnore Set<PerturbationKind> layerKinds) {
  public MezoConfig {
    require(shared != null, "sigma", "required field is missing");
    nonNegative(weightDecay, "weight_decay");
    if (layerKinds != null) {
      if (layerKinds.isEmpty()) {
        throw new IllegalArgumentException("layerKinds must be null or name at least one kind");
      }
      layerKinds = Collections.unmodifiableSet(EnumSet.copyOf(layerKinds));
    }
  }

  /** The settings a config file gives: every trainable parameter ({@link #withLayerKinds}). */
  @JsonCreator
  static MezoConfig fromSettings(
      @JsonUnwrapped ZoSettings shared,
      @JsonProperty("weight_decay") double weightDecay,
      @JsonProperty("exact_restore") boolean exactRestore) {
    return new MezoConfig(shared, weightDecay, exactRestore, null);
  }

  /** Settings of σ and the head given apart. */
  public MezoConfig(
      double sigma,
      double weightDecay,
      boolean exactRestore,
      boolean trainHead,
      Set<PerturbationKind> layerKinds) {
    this(new ZoSettings(sigma, trainHead), weightDecay, exactRestore, layerKinds);
  }

  /** Settings with the output head frozen. */
  public MezoConfig(double sigma, double weightDecay, boolean exactRestore) {
    this(sigma, weightDecay, exactRestore, false, null);
  }

  /** Settings over every trainable parameter. */
  public MezoConfig(double sigma, double weightDecay, boolean exactRestore, boolean trainHead) {
    this(sigma, weightDecay, exactRestore, trainHead, null);
  }

  /** The perturbation scale σ. */
  public double sigma() {
    return shared.sigma();
  }

  /** Whether the output head and an embedding tied to it are perturbed and updated too. */
  public boolean trainHead() {
    return shared.trainHead();
  }

  /** A copy over the parameters of {@code kinds} (null: every trainable parameter). */
  public MezoConfig withLayerKinds(Set<PerturbationKind> kinds) {
    return new MezoConfig(shared, weightDecay, exactRestore, kinds);
  }

  /** MeZO's defaults: {@link ZoSettings#defaults}, no weight decay, restore by +σ/−2σ/+σ. */
  public static MezoConfig defaults() {
    return new MezoConfig(ZoSettings.defaults(), 0, false, null);
  }
}
