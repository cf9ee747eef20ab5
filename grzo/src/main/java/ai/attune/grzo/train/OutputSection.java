package ai.attune.grzo.train;

import static ai.attune.core.config.InvalidSettingException.requireText;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The {@code output} section: where a run writes.
 *
 * @param dir the run folder ({@code metrics.jsonl}, {@code seed_log.jsonl}, {@code loss.png},
 *     {@code run.json}, {@code config.yaml} and {@code checkpoints/}); relative to the config
 *     file's folder. Required.
 * @param plot whether to write {@code loss.png} (train and eval loss, eval metric) at the end
 *     (default true)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OutputSection(String dir, boolean plot) {

  public OutputSection {
    requireText(dir, "output.dir");
  }
}
