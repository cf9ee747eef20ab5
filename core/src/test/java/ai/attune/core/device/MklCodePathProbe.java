package ai.attune.core.device;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Run in a JVM of its own by {@link MklCodePathEngineTest}: starts the engine as Attune does, runs
 * a product through MKL and prints the decision, the product's sum, the value of {@value
 * MklCodePath#VARIABLE} in the process's C environment, where MKL reads it, and the cached answer
 * of MKL's vendor check ({@link MklVendorCheck}).
 */
public final class MklCodePathProbe {
  private MklCodePathProbe() {}

  /** The C library's {@code getenv}. */
  interface CLibrary extends Library {
    String getenv(String name);
  }

  public static void main(String[] args) {
    MklCodePath.Decision decision = Engines.mklCodePath();
    try (NDManager m = Engines.newManager(DevicePolicy.CPU)) {
      NDArray product = m.ones(new Shape(8, 256)).matMul(m.ones(new Shape(256, 64)));
      System.out.println("decision " + decision.set() + " sum " + product.sum().getFloat());
    }
    String value =
        Native.load(Platform.C_LIBRARY_NAME, CLibrary.class).getenv(MklCodePath.VARIABLE);
    System.out.println("variable " + value);
    System.out.println("vendor check " + MklVendorCheck.cachedAnswer());
  }
}
