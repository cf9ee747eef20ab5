package ai.attune.grzo.train;

import static ai.attune.core.config.InvalidSettingException.requireText;

import ai.attune.core.config.InvalidSettingException;
import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The {@code model} section: the base model a run fine-tunes.
 *
 * @param dir the HF checkpoint folder ({@code config.json}, safetensors weights, {@code
 *     tokenizer.json}); relative to the config file's folder. Required.
 * @param dtype the compute type, {@code float32} (default; use it on the CPU) or {@code float16}
 *     (GPUs); bfloat16 compute is refused
 * @param device {@code auto} (default: the first CUDA device, else the CPU), {@code cpu} or {@code
 *     gpu}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ModelSection(String dir, String dtype, DevicePolicy device) {

  public ModelSection {
    requireText(dir, "model.dir");
    try {
      dtype = ComputeDtype.parse(requireText(dtype, "model.dtype")).toString();
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException("model.dtype", e.getMessage());
    }
    InvalidSettingException.require(device != null, "model.device", "required field is missing");
  }

  /** The compute type. */
  public ComputeDtype computeDtype() {
    return ComputeDtype.parse(dtype);
  }
}
