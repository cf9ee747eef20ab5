package ai.attune.grzo.train;

import ai.attune.core.run.AtomicFiles;
import ai.attune.core.run.RunRecord;
import ai.attune.models.HfExport;
import ai.attune.models.LanguageModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a model folder that HF and {@code Models.load} both read: every parameter of the model by
 * its HF name in {@code model.safetensors} (tied names once, as HF saves them), with the base
 * model's {@code config.json}, tokenizer and generation files copied beside it. A training
 * checkpoint adds {@code trainer_state.json}, the resolved {@code train-config.yaml} and the run
 * record {@code run.json}.
 *
 * <p>The folder is filled beside its target and swapped in whole ({@link
 * AtomicFiles#writeDirectory}), so a crash while writing leaves the previous checkpoint intact.
 */
public final class Checkpoints {
  /** The resolved training config inside a checkpoint and a run folder. */
  public static final String CONFIG_FILE = "train-config.yaml";

  /** The run record inside a checkpoint and a run folder. */
  public static final String RUN_RECORD = "run.json";

  private Checkpoints() {}

  /** Writes a training checkpoint folder at {@code dir}, replacing any previous one. */
  public static void write(
      Path dir,
      LanguageModel model,
      Path baseModel,
      GrzoTrainConfig config,
      TrainerState state,
      RunRecord record)
      throws IOException {
    AtomicFiles.writeDirectory(
        dir,
        tmp -> {
          fillModel(tmp, model, baseModel, Map.of("step", Long.toString(state.step())));
          state.write(tmp);
          Files.writeString(tmp.resolve(CONFIG_FILE), config.toYaml(), StandardCharsets.UTF_8);
          record.write(tmp.resolve(RUN_RECORD));
        });
  }

  /** Writes a plain model folder at {@code dir} (weights, config, tokenizer). */
  public static void writeModel(
      Path dir, LanguageModel model, Path baseModel, Map<String, String> metadata)
      throws IOException {
    AtomicFiles.writeDirectory(dir, tmp -> fillModel(tmp, model, baseModel, metadata));
  }

  private static void fillModel(
      Path dir, LanguageModel model, Path baseModel, Map<String, String> metadata)
      throws IOException {
    HfExport.write(model, baseModel, dir, metadata);
  }
}
