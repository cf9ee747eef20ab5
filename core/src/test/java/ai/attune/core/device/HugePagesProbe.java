package ai.attune.core.device;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Run in a JVM of its own by {@link HugePagesEngineTest}: starts the engine as Attune does, makes a
 * 64 MiB tensor and prints the decision and how much the process's {@code AnonHugePages} grew.
 */
public final class HugePagesProbe {
  private HugePagesProbe() {}

  public static void main(String[] args) throws Exception {
    HugePages.Decision decision = Engines.hugePages();
    long before = ProbeJvm.procKib("smaps_rollup", "AnonHugePages");
    try (NDManager m = Engines.newManager(DevicePolicy.CPU)) {
      NDArray big = m.ones(new Shape(16, 1024, 1024));
      float sum = big.sum().getFloat();
      long after = ProbeJvm.procKib("smaps_rollup", "AnonHugePages");
      System.out.println("decision " + decision.enabled() + " sum " + sum);
      System.out.println("anon-huge-kib " + (after - before));
    }
  }
}
