package ai.attune.iapo.train;

import ai.attune.core.config.Mappers;
import ai.attune.core.optim.AdamW;
import ai.attune.core.params.Parameter;
import ai.attune.core.run.AtomicFiles;
import ai.attune.core.run.RunRecord;
import ai.attune.core.safetensors.HostTensor;
import ai.attune.core.safetensors.SafetensorsException;
import ai.attune.core.safetensors.SafetensorsFile;
import ai.attune.core.safetensors.SafetensorsWriter;
import ai.attune.models.adapters.LoraConfig;
import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checkpoints of a run: {@code checkpoints/step-<n>/} written atomically ({@link
 * AtomicFiles#writeDirectory}), each holding
 *
 * <ul>
 *   <li>{@code trainable.safetensors}: the trainable weights, under their HF names for full
 *       fine-tuning, or the LoRA adapters under PEFT's names ({@code
 *       base_model.model.<layer>.lora_A.weight}), with {@code adapter_config.json} beside;
 *   <li>{@code optimizer.safetensors}: AdamW's moments, float32 masters and step count;
 *   <li>{@code trainer_state.json} ({@link TrainerState}), {@code config.yaml} (the resolved
 *       config) and {@code run_record.json}.
 * </ul>
 *
 * Only the newest {@code keep} checkpoints are kept. Restoring reads every tensor before changing
 * anything and refuses a file that lacks a trainable parameter or has another shape.
 */
final class Checkpoints {
  static final String WEIGHTS = "trainable.safetensors";
  static final String OPTIMIZER = "optimizer.safetensors";
  static final String PEFT_PREFIX = "base_model.model.";
  private static final Pattern STEP_DIR = Pattern.compile("step-(\\d+)");

  private Checkpoints() {}

  static Path dir(Path output) {
    return output.resolve("checkpoints");
  }

  /** Writes step {@code state.step()}'s checkpoint and deletes all but the newest {@code keep}. */
  static Path write(
      Path output,
      TrainingModels models,
      AdamW optimizer,
      TrainerState state,
      IapoTrainConfig config,
      RunRecord record,
      int keep)
      throws IOException {
    Path target = dir(output).resolve(String.format("step-%06d", state.step()));
    AtomicFiles.writeDirectory(
        target,
        tmp -> {
          List<HostTensor> tensors = new ArrayList<>();
          for (Parameter p : models.trainable()) {
            tensors.add(HostTensor.of(fileName(p.name(), models), p.value()));
          }
          SafetensorsWriter.write(
              tmp.resolve(WEIGHTS),
              tensors,
              Map.of("format", "pt", "step", Long.toString(state.step())));
          if (models.lora() != null) {
            Mappers.json()
                .writeValue(
                    tmp.resolve("adapter_config.json").toFile(),
                    adapterConfig(models.lora().config(), config.student().dir()));
          }
          optimizer.save(tmp.resolve(OPTIMIZER));
          state.write(tmp);
          Files.writeString(tmp.resolve("config.yaml"), config.toYaml(), StandardCharsets.UTF_8);
          record.write(tmp.resolve("run_record.json"));
        });
    List<Path> all = list(output);
    for (int i = 0; i < all.size() - keep; i++) {
      AtomicFiles.deleteTree(all.get(i));
    }
    return target;
  }

  /** The checkpoint folders of a run, oldest first. */
  static List<Path> list(Path output) throws IOException {
    Path d = dir(output);
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.filter(p -> STEP_DIR.matcher(p.getFileName().toString()).matches())
          .filter(p -> Files.isRegularFile(p.resolve(TrainerState.FILE)))
          .sorted(Comparator.comparingLong(Checkpoints::stepOf))
          .toList();
    }
  }

  /** The newest checkpoint, if any. */
  static Optional<Path> latest(Path output) throws IOException {
    List<Path> all = list(output);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  private static long stepOf(Path p) {
    Matcher m = STEP_DIR.matcher(p.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /** Loads the weights and the optimizer state of {@code checkpoint}; returns its state. */
  static TrainerState restore(Path checkpoint, TrainingModels models, AdamW optimizer)
      throws IOException {
    Path file = checkpoint.resolve(WEIGHTS);
    List<Parameter> trainable = models.trainable();
    List<NDArray> fresh = new ArrayList<>();
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      for (Parameter p : trainable) {
        String name = fileName(p.name(), models);
        if (!f.contains(name)) {
          fresh.forEach(NDArray::close);
          throw new SafetensorsException(
              file,
              name,
              "missing: the checkpoint was written for"
                  + " other trainable parameters (full fine-tuning vs LoRA, or train_vision)",
              null);
        }
        NDArray v = f.toNDArray(name, p.value().getManager(), p.value().getDataType());
        fresh.add(v);
        if (!v.getShape().equals(p.shape())) {
          fresh.forEach(NDArray::close);
          throw new SafetensorsException(
              file, name, "has shape " + v.getShape() + ", the parameter has " + p.shape(), null);
        }
      }
    }
    for (int i = 0; i < trainable.size(); i++) {
      NDArray v = fresh.get(i);
      v.setRequiresGradient(true);
      trainable.get(i).set(v);
    }
    optimizer.load(checkpoint.resolve(OPTIMIZER));
    return TrainerState.read(checkpoint);
  }

  private static String fileName(String parameter, TrainingModels models) {
    return models.lora() == null ? parameter : PEFT_PREFIX + parameter;
  }

  private static ObjectNode adapterConfig(LoraConfig lora, String base) {
    ObjectNode o = Mappers.json().createObjectNode();
    o.put("peft_type", "LORA");
    o.put("task_type", "CAUSAL_LM");
    o.put("base_model_name_or_path", base);
    o.put("r", lora.rank());
    o.put("lora_alpha", lora.alpha());
    o.put("lora_dropout", 0.0);
    o.put("bias", "none");
    var targets = o.putArray("target_modules");
    lora.targets().forEach(targets::add);
    return o;
  }
}
