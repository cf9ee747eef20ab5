package ai.attune.core.device;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a JVM of its own by {@link HostMemoryTrimEngineTest}: starts the engine as Attune does,
 * leaves {@value #HOLES} freed 1 MiB holes between live tensors in glibc's heap, waits three trim
 * periods and prints the decision and how much resident memory went back to the kernel meanwhile.
 */
public final class HostMemoryTrimProbe {
  static final int HOLES = 32;
  private static final long FLOATS_PER_MIB = 1024 * 1024 / 4;

  private HostMemoryTrimProbe() {}

  public static void main(String[] args) throws Exception {
    HostMemoryTrim.Decision decision = Engines.mallocTrim();
    try (NDManager root = Engines.newManager(DevicePolicy.CPU)) {
      // freeing one mmapped 8 MiB block raises glibc's mmap threshold past 1 MiB, so the 1 MiB
      // tensors below come from the heap, where freed memory stays until trimmed
      try (NDManager once = root.newSubManager()) {
        once.ones(new Shape(8 * FLOATS_PER_MIB));
      }
      List<NDManager> freed = new ArrayList<>();
      List<NDArray> kept = new ArrayList<>();
      for (int i = 0; i < HOLES; i++) {
        NDManager hole = root.newSubManager();
        hole.ones(new Shape(FLOATS_PER_MIB));
        freed.add(hole);
        kept.add(root.ones(new Shape(FLOATS_PER_MIB)));
      }
      freed.forEach(NDManager::close);
      long before = ProbeJvm.procKib("status", "VmRSS");
      Thread.sleep(3 * HostMemoryTrim.PERIOD.toMillis());
      long after = ProbeJvm.procKib("status", "VmRSS");
      float sum = 0;
      for (NDArray a : kept) {
        sum += a.sum().getFloat();
      }
      System.out.println("decision " + decision.enabled() + " kept " + sum);
      System.out.println("released-kib " + (before - after));
    }
  }
}
