package ai.attune.examples;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import picocli.CommandLine.Option;

/** {@code --device} and {@code --dtype}, shared by every command that computes. */
public final class ComputeOptions {
  @Option(
      names = "--device",
      defaultValue = "auto",
      description =
          "auto|cpu|gpu (auto: the first CUDA device if the engine sees one). Default: ${DEFAULT-VALUE}")
  String device;

  @Option(
      names = "--dtype",
      defaultValue = "float32",
      description =
          "float32|float16 compute type; bfloat16 checkpoints are widened to float32."
              + " Default: ${DEFAULT-VALUE}")
  String dtype;

  public DevicePolicy devicePolicy() {
    return DevicePolicy.parse(device);
  }

  public ComputeDtype computeDtype() {
    return ComputeDtype.parse(dtype);
  }
}
