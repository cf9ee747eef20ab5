package ai.attune.iapo.train;

import ai.attune.core.config.InvalidSettingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * {@code output}: where a run writes.
 *
 * @param dir the run folder (metrics.jsonl, eval.jsonl, plots/, rollouts/, checkpoints/), relative
 *     to the config file. Required.
 * @param plots redraw plots/reward.png and plots/attribution_kl.png at each checkpoint and at the
 *     end; default true
 * @param finalModel write the trained student as an HF folder ({@code final/}, LoRA merged in) at
 *     the end; default true
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OutputSection(String dir, boolean plots, boolean finalModel) {
  public OutputSection {
    InvalidSettingException.requireText(dir, "output.dir");
  }
}
