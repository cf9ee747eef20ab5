package ai.attune.grzo.train;

import static ai.attune.core.config.InvalidSettingException.positive;
import static ai.attune.core.config.InvalidSettingException.require;

import ai.attune.grzo.optim.GrzoConfig;
import ai.attune.grzo.optim.MezoConfig;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Locale;

/**
 * The {@code optimizer} section (grzo.md §1–2). The method settings are those of {@link GrzoConfig}
 * ({@code sigma}, {@code train_head}, {@code estimator}, {@code std_floor}, {@code clip}, {@code
 * fused}, {@code kinds}) and {@link MezoConfig} ({@code weight_decay}, {@code exact_restore}),
 * bound flat into this section with their defaults and help text; {@code sigma} and {@code
 * train_head}, which both optimizers take ({@link ai.attune.grzo.optim.ZoSettings}), are read into
 * both and written once. The others are the run's.
 *
 * @param name {@code grzo} (default) or {@code mezo}
 * @param lr the learning rate η (the paper: 1e-7 for OPT-13B and Llama-3-8B). Required.
 * @param schedule {@code constant} (default, the paper's), {@code linear} or {@code cosine} decay
 *     towards 0 over {@code train.steps}
 * @param mezoParams MeZO: {@code all} (default, MeZO's setting: every trainable parameter but the
 *     head) or {@code grzo} (only the parameters GRZO perturbs under {@code kinds}, no biases), to
 *     compare the two on the same parameters
 * @param variant a drop-in variant (sparse, low-rank, quantized) around the core (default none)
 * @param grzo GRZO's settings
 * @param mezo MeZO's settings, over the parameters {@code mezo_params} names; its weight decay only
 *     with {@code mezo}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OptimizerSection(
    OptimizerName name,
    double lr,
    LrSchedule schedule,
    String mezoParams,
    VariantSection variant,
    @JsonUnwrapped GrzoConfig grzo,
    // the shared settings are written once, by grzo
    @JsonUnwrapped @JsonIgnoreProperties(value = "shared", allowSetters = true) MezoConfig mezo) {

  public OptimizerSection {
    require(name != null, "optimizer.name", "required field is missing");
    positive(lr, "optimizer.lr");
    require(schedule != null, "optimizer.schedule", "required field is missing");
    require(
        "all".equals(mezoParams) || "grzo".equals(mezoParams),
        "optimizer.mezo_params",
        "must be all or grzo, got " + mezoParams);
    require(variant != null, "optimizer.variant", "required section is missing");
    require(grzo != null && mezo != null, "optimizer", "the method settings are missing");
    require(
        mezo.shared().equals(grzo.shared()),
        "optimizer.sigma",
        "MeZO and GRZO share sigma and train_head; got " + mezo.shared() + " and " + grzo.shared());
    require(
        mezo.weightDecay() == 0 || name == OptimizerName.MEZO,
        "optimizer.weight_decay",
        "only mezo applies weight decay; set it to 0 for "
            + name.toString().toLowerCase(Locale.ROOT));
    mezo = mezo.withLayerKinds("grzo".equals(mezoParams) ? grzo.kinds() : null);
  }
}
