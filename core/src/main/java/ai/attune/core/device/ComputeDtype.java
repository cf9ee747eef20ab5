package ai.attune.core.device;

import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * The floating-point type of weights and activations during compute.
 *
 * <p>Only float32 and float16 exist: the DJL PyTorch engine aborts the JVM on any bfloat16 NDArray,
 * so bfloat16 checkpoints are widened to float32 while loading and bfloat16 compute is refused
 * here, before anything reaches the engine. Norms, softmax and losses always run in float32.
 */
public enum ComputeDtype {
  FLOAT32(DataType.FLOAT32),
  FLOAT16(DataType.FLOAT16);

  private final DataType dataType;

  ComputeDtype(DataType dataType) {
    this.dataType = dataType;
  }

  public DataType dataType() {
    return dataType;
  }

  /**
   * Parses {@code float32|float16} (aliases fp32, fp16, half); refuses bfloat16 with the reason.
   */
  public static ComputeDtype parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    switch (t) {
      case "float32":
      case "fp32":
      case "f32":
        return FLOAT32;
      case "float16":
      case "fp16":
      case "f16":
      case "half":
        return FLOAT16;
      case "bfloat16":
      case "bf16":
        throw new IllegalArgumentException(
            "bfloat16 compute is not supported: the DJL PyTorch engine aborts the JVM on bfloat16"
                + " tensors. bfloat16 checkpoints load fine (widened to float32); compute with"
                + " --dtype float16 on a GPU or --dtype float32 on the CPU");
      default:
        throw new IllegalArgumentException("unknown dtype '" + text + "': use float32 or float16");
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
