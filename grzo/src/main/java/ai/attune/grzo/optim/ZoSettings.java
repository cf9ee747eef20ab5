package ai.attune.grzo.optim;

import static ai.attune.core.config.InvalidSettingException.positive;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What MeZO and GRZO share (grzo.md §1–2): the perturbation scale and whether the output head
 * trains, validated at construction. Each optimizer's settings hold it ({@link GrzoConfig}, {@link
 * MezoConfig}); the {@code optimizer} section of a GRZO config reads its keys once, flat, and an
 * error is an {@link ai.attune.core.config.InvalidSettingException} naming the key.
 *
 * @param sigma ({@code sigma}) the perturbation scale σ ({@code zo_eps}); > 0; default 1e-3, the
 *     paper's
 * @param trainHead ({@code train_head}) perturb and update the output head too ({@link
 *     OutputHead}): GRZO an untied head only (a tied head and the embedding it shares stay frozen:
 *     the tied head is not a perturbable layer, so GRZO cannot perturb it consistently), MeZO the
 *     head and an embedding tied to it; default false, the paper's setting, in which both leave the
 *     head bit for bit as loaded
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ZoSettings(double sigma, boolean trainHead) {
  public ZoSettings {
    positive(sigma, "sigma");
  }

  /** The defaults: σ = 1e-3, the head frozen. */
  public static ZoSettings defaults() {
    return new ZoSettings(1e-3, false);
  }
}
