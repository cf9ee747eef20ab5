package ai.attune.models;

import ai.attune.core.params.Parameter;
import ai.attune.core.safetensors.HostTensor;
import ai.attune.core.safetensors.SafetensorsWriter;
import ai.attune.models.qwen2vl.Qwen25VlForConditionalGeneration;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a model's weights as a Hugging Face checkpoint folder that {@code Models.load} (and
 * transformers) read: {@code model.safetensors} with every parameter under its HF name, in its
 * compute type (Qwen2.5-VL's patch embedding in the checkpoint's Conv3d shape), and the
 * configuration, tokenizer and processor files copied from the folder the model was loaded from.
 * LoRA adapter parameters are left out (merge them first to keep them). Both trainers' checkpoints,
 * final models and replays are written by it.
 */
public final class HfExport {
  /** The files of the source folder copied along, when present. */
  public static final List<String> COPIED =
      List.of(
          "config.json",
          "generation_config.json",
          "tokenizer.json",
          "tokenizer_config.json",
          "special_tokens_map.json",
          "preprocessor_config.json",
          "chat_template.json");

  private HfExport() {}

  /** Writes {@code model} into {@code target} with the metadata {@code format: pt}. */
  public static void write(LanguageModel model, Path sourceDir, Path target) throws IOException {
    write(model, sourceDir, target, Map.of());
  }

  /**
   * Writes {@code model} into {@code target} (created if needed; files written there are replaced),
   * with {@code metadata} in the safetensors header besides {@code format: pt}.
   */
  public static void write(
      LanguageModel model, Path sourceDir, Path target, Map<String, String> metadata)
      throws IOException {
    Files.createDirectories(target);
    for (String name : COPIED) {
      if (Files.isRegularFile(sourceDir.resolve(name))) {
        Files.copy(
            sourceDir.resolve(name), target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Map<String, Shape> stored =
        model instanceof Qwen25VlForConditionalGeneration vl ? vl.checkpointShapes() : Map.of();
    List<HostTensor> tensors = new ArrayList<>();
    for (Parameter p : model.parameters().parameters().values()) {
      if (p.isLoaded() && !p.name().contains(".lora_A.") && !p.name().contains(".lora_B.")) {
        HostTensor t = HostTensor.of(p.name(), p.value());
        Shape shape = stored.get(p.name());
        tensors.add(
            shape == null ? t : new HostTensor(t.name(), t.dtype(), shape.getShape(), t.data()));
      }
    }
    Map<String, String> meta = new TreeMap<>(metadata);
    meta.putIfAbsent("format", "pt");
    SafetensorsWriter.write(target.resolve("model.safetensors"), tensors, meta);
  }
}
