package ai.attune.core.run;

import ai.attune.core.config.Mappers;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code trainer_state.json} of a checkpoint: what a resumed run needs besides the weights (and the
 * optimizer state) to continue exactly as an uninterrupted one. Every random stream of a step
 * derives from the seed and the step number, so the common part is small: the step, the seed, and
 * how many lines each of the run's JSONL logs held at that step (a resume cuts the logs back to
 * those counts, {@link RunFolder#cutLogs}). A trainer adds its own loop state (loss averages,
 * evaluations, flags) as the {@code loop} object.
 *
 * @param step the last step whose update the checkpoint holds
 * @param seed the run seed (a resume with another seed is refused by the trainers)
 * @param logLines lines of each JSONL log of the run folder (by file name) written up to {@code
 *     step}
 * @param loop the trainer's own loop state, or JSON null
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrainerState(long step, long seed, Map<String, Long> logLines, JsonNode loop) {

  /** The file name inside a checkpoint folder. */
  public static final String FILE = "trainer_state.json";

  public TrainerState {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
    logLines = Collections.unmodifiableMap(new TreeMap<>(logLines == null ? Map.of() : logLines));
    loop = loop == null ? NullNode.getInstance() : loop.deepCopy();
  }

  /** A state whose loop part is {@code loop} written as JSON (a record, a map). */
  public static TrainerState of(long step, long seed, Map<String, Long> logLines, Object loop) {
    return new TrainerState(step, seed, logLines, Mappers.json().valueToTree(loop));
  }

  /** The loop part read as {@code type}. */
  public <T> T loop(Class<T> type) {
    try {
      return Mappers.json().treeToValue(loop, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "the loop state of " + FILE + " does not read as " + type.getSimpleName(), e);
    }
  }

  /** The lines {@code file} held at {@link #step}, 0 when the state does not list it. */
  public long lines(String file) {
    return logLines.getOrDefault(file, 0L);
  }

  /** Writes the state atomically as {@code dir/trainer_state.json}. */
  public void write(Path dir) throws IOException {
    AtomicFiles.write(dir.resolve(FILE), out -> Mappers.json().writeValue(out, this));
  }

  /** Reads {@code dir/trainer_state.json}, naming the file in every error. */
  public static TrainerState read(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new IOException(dir + " is not a training checkpoint (no " + FILE + ")");
    }
    try {
      return Mappers.json().readValue(file.toFile(), TrainerState.class);
    } catch (JsonProcessingException e) {
      String field = "";
      if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
        field =
            " (field "
                + m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "" + r.getIndex())
                    .collect(Collectors.joining("."))
                + ")";
      }
      throw new IOException(
          file
              + " is not a trainer state written by this version"
              + field
              + ": "
              + e.getOriginalMessage(),
          e);
    }
  }
}
