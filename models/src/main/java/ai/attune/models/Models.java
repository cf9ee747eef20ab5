package ai.attune.models;

import ai.attune.core.config.JsonConfig;
import ai.attune.core.device.ComputeDtype;
import ai.attune.core.params.CheckpointLoader;
import ai.attune.core.params.LoadReport;
import ai.attune.core.safetensors.SafetensorsCheckpoint;
import ai.attune.models.llama.LlamaConfig;
import ai.attune.models.llama.LlamaConfigReader;
import ai.attune.models.llama.LlamaForCausalLM;
import ai.attune.models.opt.OptConfig;
import ai.attune.models.opt.OptForCausalLM;
import ai.attune.models.qwen2.Qwen2ConfigReader;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a model from an HF checkpoint folder: {@code config.json} picks the class by its
 * {@code model_type}; the safetensors weights (single file or sharded) fill its parameters.
 */
public final class Models {
  private static final Logger LOG = LoggerFactory.getLogger(Models.class);

  private Models() {}

  /** Reads {@code dir/config.json}, failing clearly if the folder or file is missing. */
  public static JsonConfig readConfig(Path dir) {
    Path file = dir.resolve("config.json");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "not an HF checkpoint folder: " + dir + " (no config.json)");
    }
    return JsonConfig.read(file);
  }

  /** Loads the model in {@code dir} with parameters in {@code dtype} under {@code parent}. */
  public static CausalLM load(Path dir, ComputeDtype dtype, NDManager parent) {
    JsonConfig config = readConfig(dir);
    String type = config.requireString("model_type");
    switch (type) {
      case "opt": {
        OptForCausalLM model = new OptForCausalLM(OptConfig.from(config), dtype, parent);
        fill(model, dir, OptForCausalLM::mapCheckpointName);
        return model;
      }
      case "llama":
        return llamaFamily(LlamaConfigReader.read(config), dir, dtype, parent);
      case "qwen2":
        return llamaFamily(Qwen2ConfigReader.read(config), dir, dtype, parent);
      default:
        throw new IllegalArgumentException(config.source() + ": unsupported model_type '" + type
            + "' (supported: opt, llama, qwen2)");
    }
  }

  private static CausalLM llamaFamily(LlamaConfig c, Path dir, ComputeDtype dtype,
      NDManager parent) {
    LlamaForCausalLM model = new LlamaForCausalLM(c, dtype, parent);
    fill(model, dir, LlamaForCausalLM::mapCheckpointName);
    return model;
  }

  private static void fill(CausalLM model, Path dir, CheckpointLoader.NameMap names) {
    try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(dir)) {
      LoadReport report = CheckpointLoader.load(
          model.parameters(), ckpt, names, model.dtype().dataType());
      report.requireNoMissing();
      LOG.info("{}", report);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }
}
