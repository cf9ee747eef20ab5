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
import ai.attune.models.qwen2vl.Qwen25VlConfig;
import ai.attune.models.qwen2vl.Qwen25VlForConditionalGeneration;
import ai.attune.models.roberta.RobertaConfig;
import ai.attune.models.roberta.RobertaForMaskedLM;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a model from an HF checkpoint folder: {@code config.json} picks the class by its {@code
 * model_type}; the safetensors weights (single file or sharded) fill its parameters. {@link #load}
 * gives causal LMs (generation, next-token losses), {@link #loadMasked} masked LMs, {@link
 * #loadAny} either.
 */
public final class Models {
  private static final Logger LOG = LoggerFactory.getLogger(Models.class);
  private static final Set<String> MASKED_LM_TYPES = Set.of("roberta");
  private static final String SUPPORTED = "opt, llama, qwen2, qwen2_5_vl, roberta";

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

  /** Loads the model in {@code dir}, causal or masked, as its {@code model_type} says. */
  public static LanguageModel loadAny(Path dir, ComputeDtype dtype, NDManager parent) {
    return loading(
        dir,
        () -> {
          JsonConfig config = readConfig(dir);
          String type = config.requireString("model_type");
          return MASKED_LM_TYPES.contains(type)
              ? masked(dir, config, type, dtype, parent)
              : causal(dir, config, type, dtype, parent);
        });
  }

  /**
   * Runs a load, turning a failed check that is not already one of the project's exceptions (a
   * record's validation, a shape assert) into a {@link ModelLoadException} naming the folder.
   */
  private static <T> T loading(Path dir, java.util.function.Supplier<T> load) {
    try {
      return load.get();
    } catch (IllegalArgumentException | IllegalStateException | ArithmeticException e) {
      if (e.getClass().getName().startsWith("ai.attune.")) {
        throw e;
      }
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new ModelLoadException(
          m.contains(dir.toString()) ? m : "cannot load the model in " + dir + ": " + m, e);
    }
  }

  /**
   * Loads the causal LM in {@code dir} with parameters in {@code dtype} under {@code parent};
   * refuses a masked LM, naming it, before reading any weights.
   */
  public static CausalLM load(Path dir, ComputeDtype dtype, NDManager parent) {
    return loading(dir, () -> loadCausal(dir, dtype, parent));
  }

  private static CausalLM loadCausal(Path dir, ComputeDtype dtype, NDManager parent) {
    JsonConfig config = readConfig(dir);
    String type = config.requireString("model_type");
    if (MASKED_LM_TYPES.contains(type)) {
      throw new IllegalArgumentException(
          config.source()
              + ": model_type '"
              + type
              + "' is a masked LM, not a causal LM, so it cannot generate or score next tokens;"
              + " use Models.loadMasked (on the command line: the forward command)");
    }
    return causal(dir, config, type, dtype, parent);
  }

  /** Loads the masked LM in {@code dir}; refuses a causal LM, naming it. */
  public static MaskedLM loadMasked(Path dir, ComputeDtype dtype, NDManager parent) {
    return loading(dir, () -> loadMaskedLm(dir, dtype, parent));
  }

  private static MaskedLM loadMaskedLm(Path dir, ComputeDtype dtype, NDManager parent) {
    JsonConfig config = readConfig(dir);
    String type = config.requireString("model_type");
    if (!MASKED_LM_TYPES.contains(type)) {
      throw new IllegalArgumentException(
          config.source()
              + ": model_type '"
              + type
              + "' is not a masked LM (masked LMs: "
              + String.join(", ", MASKED_LM_TYPES)
              + "); use Models.load");
    }
    return masked(dir, config, type, dtype, parent);
  }

  private static CausalLM causal(
      Path dir, JsonConfig config, String type, ComputeDtype dtype, NDManager parent) {
    switch (type) {
      case "opt":
        {
          OptForCausalLM model = new OptForCausalLM(OptConfig.from(config), dtype, parent);
          fill(model, dir, OptForCausalLM::mapCheckpointName);
          return model;
        }
      case "llama":
        return llamaFamily(LlamaConfigReader.read(config), dir, dtype, parent);
      case "qwen2":
        return llamaFamily(Qwen2ConfigReader.read(config), dir, dtype, parent);
      case "qwen2_5_vl":
        {
          Qwen25VlForConditionalGeneration model =
              new Qwen25VlForConditionalGeneration(Qwen25VlConfig.read(config), dtype, parent);
          fill(
              model,
              dir,
              Qwen25VlForConditionalGeneration::mapCheckpointName,
              model.checkpointShapes());
          return model;
        }
      default:
        throw unsupported(config, type);
    }
  }

  private static CausalLM llamaFamily(
      LlamaConfig c, Path dir, ComputeDtype dtype, NDManager parent) {
    LlamaForCausalLM model = new LlamaForCausalLM(c, dtype, parent);
    fill(model, dir, LlamaForCausalLM::mapCheckpointName);
    return model;
  }

  private static MaskedLM masked(
      Path dir, JsonConfig config, String type, ComputeDtype dtype, NDManager parent) {
    switch (type) {
      case "roberta":
        {
          RobertaForMaskedLM model =
              new RobertaForMaskedLM(RobertaConfig.from(config), dtype, parent);
          fill(model, dir, RobertaForMaskedLM::mapCheckpointName);
          return model;
        }
      default:
        throw unsupported(config, type);
    }
  }

  private static IllegalArgumentException unsupported(JsonConfig config, String type) {
    return new IllegalArgumentException(
        config.source() + ": unsupported model_type '" + type + "' (supported: " + SUPPORTED + ")");
  }

  private static void fill(LanguageModel model, Path dir, CheckpointLoader.NameMap names) {
    fill(model, dir, names, Map.of());
  }

  private static void fill(
      LanguageModel model,
      Path dir,
      CheckpointLoader.NameMap names,
      Map<String, Shape> checkpointShapes) {
    try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(dir)) {
      LoadReport report =
          CheckpointLoader.load(
              model.parameters(), ckpt, names, checkpointShapes, model.dtype().dataType());
      report.requireNoMissing();
      LOG.info("{}", report);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }
}
