package ai.attune.grzo.train;

import static ai.attune.core.config.InvalidSettingException.nonNegative;
import static ai.attune.core.config.InvalidSettingException.positive;
import static ai.attune.core.config.InvalidSettingException.require;

import ai.attune.grzo.estimator.EstimatorMode;
import ai.attune.grzo.estimator.GroupRelativeEstimator;
import ai.attune.grzo.optim.GrzoConfig;
import ai.attune.grzo.optim.MezoConfig;
import ai.attune.models.adapters.PerturbationKind;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * The {@code optimizer} section (grzo.md §1–2).
 *
 * @param name {@code grzo} (default) or {@code mezo}
 * @param sigma the perturbation scale σ ({@code zo_eps}; default 1e-3, the paper's)
 * @param lr the learning rate η (the paper: 1e-7 for OPT-13B and Llama-3-8B). Required.
 * @param schedule {@code constant} (default, the paper's), {@code linear} or {@code cosine} decay
 *     towards 0 over {@code train.steps}
 * @param weightDecay MeZO's weight decay λ, skipped for biases and norms (default 0; only with
 *     {@code mezo})
 * @param estimator GRZO's coefficients: {@code two_norm} (default, the paper's), {@code two},
 *     {@code one} or {@code uniform}
 * @param stdFloor GRZO: a floor on the batch std of the loss differences (default 0 = off)
 * @param clip GRZO: a clip on |a_i| (default 0 = off)
 * @param fused GRZO: evaluate the + and − passes as one batch of 2B rows (default false)
 * @param kinds GRZO: the layer kinds perturbed and updated, any of {@code linear}, {@code norm},
 *     {@code embedding} (default all three, the paper's, as {@link GrzoConfig#paperKinds}); an
 *     embedding tied to the output head stays frozen
 * @param trainHead perturb and update the output head too (GRZO: an untied head only; MeZO: the
 *     head and an embedding tied to it); default false, the paper's setting
 * @param mezoParams MeZO: {@code all} (default, MeZO's setting: every trainable parameter but the
 *     head) or {@code grzo} (only the parameters GRZO perturbs under {@code kinds}, no biases), to
 *     compare the two on the same parameters
 * @param exactRestore MeZO: restore the weights after the two passes from a copy (one extra copy of
 *     the trainable weights) instead of the +σ/−2σ/+σ sequence, whose float rounding drifts the
 *     weights slightly; with it, a replay of the seed log is bit-exact (default false)
 * @param variant a drop-in variant (sparse, low-rank, quantized) around the core (default none)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OptimizerSection(
    OptimizerName name,
    double sigma,
    double lr,
    LrSchedule schedule,
    double weightDecay,
    EstimatorMode estimator,
    double stdFloor,
    double clip,
    boolean fused,
    List<PerturbationKind> kinds,
    boolean trainHead,
    String mezoParams,
    boolean exactRestore,
    VariantSection variant) {

  public OptimizerSection {
    require(name != null, "optimizer.name", "required field is missing");
    positive(sigma, "optimizer.sigma");
    positive(lr, "optimizer.lr");
    require(schedule != null, "optimizer.schedule", "required field is missing");
    nonNegative(weightDecay, "optimizer.weight_decay");
    require(
        weightDecay == 0 || name == OptimizerName.MEZO,
        "optimizer.weight_decay",
        "only mezo applies weight decay; set it to 0 for "
            + name.toString().toLowerCase(Locale.ROOT));
    require(estimator != null, "optimizer.estimator", "required field is missing");
    nonNegative(stdFloor, "optimizer.std_floor");
    nonNegative(clip, "optimizer.clip");
    require(
        !fused || estimator.needsMinusPass(),
        "optimizer.fused",
        "the fused pass runs + and − together; estimator " + estimator + " has no − pass");
    require(
        kinds != null && !kinds.isEmpty(),
        "optimizer.kinds",
        "list at least one of linear, norm, embedding");
    require(!kinds.contains(null), "optimizer.kinds", "must not contain null");
    kinds = List.copyOf(EnumSet.copyOf(kinds));
    require(
        "all".equals(mezoParams) || "grzo".equals(mezoParams),
        "optimizer.mezo_params",
        "must be all or grzo, got " + mezoParams);
    require(variant != null, "optimizer.variant", "required section is missing");
  }

  /** The GRZO settings of this section. */
  public GrzoConfig grzo() {
    return new GrzoConfig(
        sigma,
        new GroupRelativeEstimator(estimator, stdFloor, clip),
        fused,
        EnumSet.copyOf(kinds),
        trainHead);
  }

  /** The MeZO settings of this section. */
  public MezoConfig mezo() {
    return new MezoConfig(
        sigma,
        weightDecay,
        exactRestore,
        trainHead,
        "grzo".equals(mezoParams) ? EnumSet.copyOf(kinds) : null);
  }
}
