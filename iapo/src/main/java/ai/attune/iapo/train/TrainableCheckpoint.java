package ai.attune.iapo.train;

import ai.attune.core.config.Mappers;
import ai.attune.core.optim.AdamW;
import ai.attune.core.params.Parameter;
import ai.attune.core.run.RunFolder;
import ai.attune.core.run.TrainerState;
import ai.attune.core.safetensors.HostTensor;
import ai.attune.core.safetensors.SafetensorsException;
import ai.attune.core.safetensors.SafetensorsFile;
import ai.attune.core.safetensors.SafetensorsWriter;
import ai.attune.models.adapters.LoraConfig;
import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The IAPO trainer's part of a checkpoint folder ({@link RunFolder#writeCheckpoint} writes the
 * folder atomically and adds the trainer state, config and run record):
 *
 * <ul>
 *   <li>{@code trainable.safetensors}: the trainable weights, under their HF names for full
 *       fine-tuning, or the LoRA adapters under PEFT's names ({@code
 *       base_model.model.<layer>.lora_A.weight}), with {@code adapter_config.json} beside;
 *   <li>{@code optimizer.safetensors}: AdamW's moments, float32 masters and step count.
 * </ul>
 *
 * Restoring reads every tensor before changing anything and refuses a file that lacks a trainable
 * parameter or has another shape.
 */
final class TrainableCheckpoint {
  static final String WEIGHTS = "trainable.safetensors";
  static final String OPTIMIZER = "optimizer.safetensors";
  static final String PEFT_PREFIX = "base_model.model.";

  private TrainableCheckpoint() {}

  /** Writes the trainable weights and the optimizer state of step {@code step} into {@code dir}. */
  static void fill(
      Path dir, long step, TrainingModels models, AdamW optimizer, IapoTrainConfig config)
      throws IOException {
    List<HostTensor> tensors = new ArrayList<>();
    for (Parameter p : models.trainable()) {
      tensors.add(HostTensor.of(fileName(p.name(), models), p.value()));
    }
    SafetensorsWriter.write(
        dir.resolve(WEIGHTS), tensors, Map.of("format", "pt", "step", Long.toString(step)));
    if (models.lora() != null) {
      Mappers.json()
          .writeValue(
              dir.resolve("adapter_config.json").toFile(),
              adapterConfig(models.lora().config(), config.student().dir()));
    }
    optimizer.save(dir.resolve(OPTIMIZER));
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
