package ai.attune.iapo.train;

import ai.attune.core.config.Mappers;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The loop's own state in a checkpoint ({@code trainer_state.json}). Every random stream of a step
 * derives from the seed and the step number, so these counts are all a resume needs besides the
 * weights and the optimizer state.
 *
 * @param step the last step whose update the checkpoint holds
 * @param seed {@code train.seed} of the run (a resume with another seed is refused)
 * @param metricsLines lines of {@code metrics.jsonl} written up to that step
 * @param evalLines lines of {@code eval.jsonl} written up to that step
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrainerState(long step, long seed, long metricsLines, long evalLines) {
  static final String FILE = "trainer_state.json";

  void write(Path dir) throws IOException {
    Mappers.json().writeValue(dir.resolve(FILE).toFile(), this);
  }

  static TrainerState read(Path dir) throws IOException {
    return Mappers.json().readValue(dir.resolve(FILE).toFile(), TrainerState.class);
  }
}
