package ai.attune.iapo.train;

import static ai.attune.core.config.InvalidSettingException.positive;
import static ai.attune.core.config.InvalidSettingException.require;

import ai.attune.core.config.InvalidSettingException;
import ai.attune.models.adapters.LoraConfig;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * {@code student.lora}: low-rank adapters (PEFT's vocabulary).
 *
 * @param rank the rank r of each update; >= 1; default 8
 * @param alpha the update is scaled by alpha / r; > 0; default 16
 * @param targets linear layers to adapt, as name suffixes ({@code q_proj}) or the single entry
 *     {@code all-linear}; default [q_proj, k_proj, v_proj, o_proj]. Vision layers are adapted only
 *     when a target names them ({@code attn.qkv}); the language model's are what the defaults pick.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LoraSection(int rank, double alpha, List<String> targets) {
  public LoraSection {
    positive(rank, "student.lora.rank");
    positive(alpha, "student.lora.alpha");
    require(
        targets != null && !targets.isEmpty(), "student.lora.targets", "name at least one layer");
    targets = List.copyOf(targets);
    try {
      new LoraConfig(rank, (float) alpha, targets, 0);
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException("student.lora.targets", e.getMessage());
    }
  }

  /** The adapters' config, their A matrices initialised from {@code seed}. */
  public LoraConfig toConfig(long seed) {
    return new LoraConfig(rank, (float) alpha, targets, seed);
  }
}
