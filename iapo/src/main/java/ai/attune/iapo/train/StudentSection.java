package ai.attune.iapo.train;

import static ai.attune.core.config.InvalidSettingException.require;
import static ai.attune.core.config.InvalidSettingException.requireText;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.models.adapters.LoraConfig;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * {@code student}: the policy being trained.
 *
 * @param dir the Qwen2.5-VL checkpoint folder ({@code config.json}, safetensors weights, {@code
 *     tokenizer.json}, {@code preprocessor_config.json}); relative to the config file. Required.
 * @param dtype compute type: {@code float32} (default; the CPU) or {@code float16} (GPUs; the
 *     optimizer keeps float32 master weights); bfloat16 is refused
 * @param device {@code auto} (default: the first CUDA device, else the CPU), {@code cpu} or {@code
 *     gpu}; the teacher and the reference run on the same device
 * @param lora LoRA adapters to train instead of the whole model ({@code rank}, {@code alpha},
 *     {@code targets}: see {@link LoraConfig}); absent (default) = full fine-tuning
 * @param trainVision with full fine-tuning, whether the vision tower's parameters train too;
 *     default false (the language model and nothing else, as RL recipes for VLMs usually do)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StudentSection(
    String dir, String dtype, DevicePolicy device, LoraConfig lora, boolean trainVision) {

  public StudentSection {
    requireText(dir, "student.dir");
    dtype = ModelRef.checkDtype(dtype, "student.dtype");
    require(device != null, "student.device", "required field is missing");
    require(
        lora == null || !trainVision,
        "student.train_vision",
        "applies to full fine-tuning only; with lora the adapters are what trains");
  }

  /** The compute type. */
  public ComputeDtype computeDtype() {
    return ComputeDtype.parse(dtype);
  }

  StudentSection withDir(String resolved) {
    return new StudentSection(resolved, dtype, device, lora, trainVision);
  }
}
