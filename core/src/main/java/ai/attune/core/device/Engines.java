package ai.attune.core.device;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point to the DJL PyTorch engine for the whole library.
 *
 * <p>The first call to {@link #pytorch()} switches DJL to offline mode (unless the user set {@code
 * ai.djl.offline} explicitly) so that the engine loads the libtorch bundled in the {@code
 * pytorch-native-cpu} jar, or one named by {@code PYTORCH_LIBRARY_PATH}, and never tries to
 * download. It also logs, once, which C allocator serves libtorch's host memory, and for glibc how
 * to preload tcmalloc ({@link NativeAllocator#advice}). Before the engine starts it turns on
 * transparent huge pages for libtorch's host tensors ({@link HugePages}) and, under glibc, starts
 * the thread that returns freed host memory to the kernel ({@link HostMemoryTrim}), and on AMD
 * processors puts MKL on its fast code paths ({@link MklCodePath}), once, and logs the decisions,
 * with the JIT's ({@link QuickJit}, which the application makes).
 */
public final class Engines {
  private static final Logger LOG = LoggerFactory.getLogger(Engines.class);
  private static final String OFFLINE = "ai.djl.offline";
  private static HugePages.Decision hugePages;
  private static HostMemoryTrim.Decision mallocTrim;
  private static MklCodePath.Decision mklCodePath;
  private static boolean mklCodePathFinal;

  private Engines() {}

  /** The PyTorch engine, started offline on first use. */
  public static synchronized Engine pytorch() {
    if (System.getProperty(OFFLINE) == null) {
      System.setProperty(OFFLINE, "true");
    }
    if (hugePages == null) {
      // once, before libtorch's first allocation: the allocator decides the huge pages too
      NativeAllocator allocator = NativeAllocator.inProcess();
      hugePages = HugePages.enableForLibtorch(allocator);
      LOG.info("host huge pages " + hugePages.reason());
      mallocTrim = HostMemoryTrim.startForLibtorch(allocator);
      LOG.info("host memory trim " + mallocTrim.reason());
      mklCodePath = MklCodePath.chooseForLibtorch();
      if (allocator.isGlibc()) {
        LOG.info(allocator.advice());
      } else {
        LOG.debug(allocator.advice());
      }
    }
    Engine engine;
    try {
      engine = Engine.getEngine("PyTorch");
    } catch (EngineException e) {
      throw new EngineException(
          "the PyTorch engine did not start ("
              + e.getMessage()
              + "): put"
              + " ai.djl.pytorch:pytorch-native-cpu on the classpath, or point PYTORCH_LIBRARY_PATH,"
              + " PYTORCH_VERSION=2.7.1 and PYTORCH_FLAVOR at a libtorch 2.7.1 (docs/gpu.md)",
          e);
    }
    if (!mklCodePathFinal) {
      // once, after libtorch is loaded and before its first product
      mklCodePath = MklCodePath.afterEngineStart(mklCodePath);
      mklCodePathFinal = true;
      LOG.info("MKL code path: " + mklCodePath.reason());
      LOG.info("JIT: " + QuickJit.current().reason());
    }
    return engine;
  }

  /**
   * Whether libtorch's host tensors go on transparent huge pages in this process, and why; decided
   * by the first {@link #pytorch()} call (this call makes it when none has).
   */
  public static synchronized HugePages.Decision hugePages() {
    pytorch();
    return hugePages;
  }

  /**
   * Whether a daemon thread hands glibc's freed host memory back to the kernel in this process, and
   * why ({@link HostMemoryTrim}); decided by the first {@link #pytorch()} call (this call makes it
   * when none has).
   */
  public static synchronized HostMemoryTrim.Decision mallocTrim() {
    pytorch();
    return mallocTrim;
  }

  /**
   * Whether Attune put MKL on a faster code path in this process (on AMD processors), and why
   * ({@link MklCodePath}); decided by the first {@link #pytorch()} call (this call makes it when
   * none has).
   */
  public static synchronized MklCodePath.Decision mklCodePath() {
    pytorch();
    return mklCodePath;
  }

  /** A new base manager on the device the policy resolves to. */
  public static NDManager newManager(DevicePolicy device) {
    return pytorch().newBaseManager(device.resolve());
  }

  /** Number of CUDA devices the engine sees (0 on a CPU-only machine). */
  public static int gpuCount() {
    return pytorch().getGpuCount();
  }
}
