package ai.attune.grzo.bench;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Peak memory of one benchmark phase: on a GPU the device memory in use as the CUDA driver reports
 * it (sampled after every step, so it includes the caching allocator's reserve); on the CPU the
 * process's peak resident set (VmHWM, reset at the start of the phase through {@code
 * /proc/self/clear_refs} where Linux allows it), a high-water mark the kernel keeps, so it is read
 * once, when the phase's peak is asked for, and no Java code runs between the timed steps.
 */
final class PeakMemory {
  private static final Path STATUS = Paths.get("/proc/self/status");
  private static final Path CLEAR_REFS = Paths.get("/proc/self/clear_refs");
  private final Device device;
  private long peakBytes;

  PeakMemory(Device device) {
    this.device = device;
  }

  /** Starts a phase: forgets the previous peak. */
  void reset() {
    peakBytes = 0;
    if (!device.isGpu()) {
      try {
        Files.writeString(CLEAR_REFS, "5");
      } catch (IOException | SecurityException e) {
        // not Linux, or not allowed: the peak then covers the whole process lifetime
      }
    }
    sample();
  }

  /** Records the current usage (on the CPU the kernel's high-water mark already does). */
  void sample() {
    if (device.isGpu()) {
      peakBytes = Math.max(peakBytes, CudaUtils.getGpuMemory(device).getUsed());
    }
  }

  /** The phase's peak so far. */
  long peakBytes() {
    if (!device.isGpu()) {
      peakBytes = Math.max(peakBytes, residentPeak());
    }
    return peakBytes;
  }

  String kind() {
    return device.isGpu() ? "device memory" : "native RSS (VmHWM)";
  }

  private static long residentPeak() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // fall through
    }
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }
}
