package ai.attune.grzo.train;

import static ai.attune.core.config.InvalidSettingException.positive;
import static ai.attune.core.config.InvalidSettingException.require;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Locale;

/**
 * The {@code optimizer.variant} section: a drop-in variant of grzo.md §3 around the chosen core
 * (MeZO or GRZO).
 *
 * @param name {@code none} (default), {@code sparse}, {@code lowrank} or {@code quantized}
 * @param keep sparse: the fraction of each linear weight (its smallest magnitudes) that is
 *     perturbed and updated (default 0.25)
 * @param rank lowrank: r of {@code U = u vᵀ / √r} (default 8)
 * @param period lowrank: steps between redraws of v (default 50)
 * @param strict lowrank: input signs s_i = 1, so GRZO's updates stay in span(v) (default true)
 * @param bits quantized: b of the symmetric per-tensor grid (default 8)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record VariantSection(
    String name, double keep, int rank, int period, boolean strict, int bits) {

  public VariantSection {
    require(name != null, "optimizer.variant.name", "required field is missing");
    name = name.toLowerCase(Locale.ROOT);
    require(
        name.equals("none")
            || name.equals("sparse")
            || name.equals("lowrank")
            || name.equals("quantized"),
        "optimizer.variant.name",
        "unknown variant '" + name + "': use none, sparse, lowrank or quantized");
    require(keep > 0 && keep <= 1, "optimizer.variant.keep", "must be in (0, 1], got " + keep);
    positive(rank, "optimizer.variant.rank");
    positive(period, "optimizer.variant.period");
    require(bits >= 2 && bits <= 16, "optimizer.variant.bits", "must be in [2, 16], got " + bits);
  }
}
