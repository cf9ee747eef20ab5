package ai.attune.core.device;

import ai.djl.Device;
import java.util.Locale;

/** Where tensors live: {@code auto} picks the first CUDA device when the engine sees one. */
public enum DevicePolicy {
  AUTO,
  CPU,
  GPU;

  /** Parses {@code auto|cpu|gpu} (case-insensitive), naming the accepted values on error. */
  public static DevicePolicy parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown device '" + text + "': use one of auto, cpu, gpu", e);
    }
  }

  /** The DJL device this policy names; {@code gpu} fails clearly when no CUDA device is visible. */
  public Device resolve() {
    int gpus = Engines.gpuCount();
    switch (this) {
      case CPU:
        return Device.cpu();
      case GPU:
        if (gpus == 0) {
          throw new IllegalStateException(
              "--device gpu was asked for but the PyTorch engine sees no CUDA device"
                  + " (is a CUDA libtorch on PYTORCH_LIBRARY_PATH?); use --device cpu or auto");
        }
        return Device.gpu(0);
      default:
        return gpus > 0 ? Device.gpu(0) : Device.cpu();
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
