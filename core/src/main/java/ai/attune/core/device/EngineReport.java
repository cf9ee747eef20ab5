package ai.attune.core.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.cuda.CudaUtils;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the running PyTorch engine is made of: the libtorch it loaded and its flavour ({@code cpu},
 * {@code cu128}, ...), the CUDA devices it sees, its thread pools and the native libraries mapped
 * into the process and the C allocator behind its host memory. Printed by {@code attune env}; see
 * {@code docs/gpu.md}.
 *
 * @param engine engine name and libtorch version, such as {@code PyTorch 2.7.1}
 * @param djlVersion the DJL API version
 * @param libtorchPath the folder the engine loaded libtorch from
 * @param flavor {@code PYTORCH_FLAVOR} if set, else the flavour in the libtorch folder's name, else
 *     {@code unknown}
 * @param cudaDevices one line per CUDA device the engine sees (empty on a CPU-only machine)
 * @param threads libtorch's intra-op threads
 * @param interopThreads libtorch's inter-op threads
 * @param nativeLibraries the torch, DJL, tokenizer and CUDA libraries mapped into this process
 * @param allocator the C allocator that serves libtorch's host memory ({@link NativeAllocator})
 * @param hugePages whether libtorch's host tensors are on transparent huge pages ({@link
 *     HugePages})
 * @param mallocTrim whether glibc's freed host memory is handed back to the kernel ({@link
 *     HostMemoryTrim})
 * @param mklCodePath whether MKL was put on a faster code path, and which ({@link MklCodePath})
 * @param jit whether the JVM's C2 compiler is kept off in this process ({@link QuickJit})
 * @param environment the environment variables that steer the engine, {@code (unset)} if absent
 */
public record EngineReport(
    String engine,
    String djlVersion,
    String libtorchPath,
    String flavor,
    List<String> cudaDevices,
    int threads,
    int interopThreads,
    List<String> nativeLibraries,
    NativeAllocator allocator,
    HugePages.Decision hugePages,
    HostMemoryTrim.Decision mallocTrim,
    MklCodePath.Decision mklCodePath,
    QuickJit.Decision jit,
    Map<String, String> environment) {

  /** The variables that point the engine at a libtorch or size its thread pools. */
  public static final List<String> VARIABLES =
      List.of(
          "PYTORCH_LIBRARY_PATH",
          "PYTORCH_VERSION",
          "PYTORCH_FLAVOR",
          "PYTORCH_PRECXX11",
          "OMP_NUM_THREADS",
          "CUDA_VISIBLE_DEVICES");

  private static final Pattern FLAVOR =
      Pattern.compile("(?:^|-)(cpu(?:-precxx11)?|cu\\d+(?:-precxx11)?|rocm[\\d.]*)(?:-|$)");
  private static final Pattern NATIVE =
      Pattern.compile(
          "(?:[\\w.]+-)?lib(?:torch|c10|djl_torch|tokenizers|gomp|cuda|cudart|cudnn|cublas|cufft|curand|cusparse"
              + "|cusolver|nccl|nvrtc|nvToolsExt|nvJitLink)[^/]*\\.(?:so|dylib)[^/]*");

  /** Copies the lists and map, so a report never changes. */
  public EngineReport {
    cudaDevices = List.copyOf(cudaDevices);
    nativeLibraries = List.copyOf(nativeLibraries);
    environment = Map.copyOf(environment);
  }

  /** Starts the engine (offline, see {@link Engines}) and describes it. */
  public static EngineReport capture() {
    Engine engine = Engines.pytorch();
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : VARIABLES) {
      String value = System.getenv(name);
      env.put(name, value == null ? "(unset)" : value);
    }
    String libtorch = LibUtils.getLibtorchPath();
    return new EngineReport(
        engine.getEngineName() + " " + engine.getVersion(),
        Engine.getDjlVersion(),
        libtorch,
        flavor(System.getenv("PYTORCH_FLAVOR"), libtorch),
        cudaDevices(engine.getGpuCount()),
        JniUtils.getNumThreads(),
        JniUtils.getNumInteropThreads(),
        mappedNatives(),
        NativeAllocator.inProcess(),
        Engines.hugePages(),
        Engines.mallocTrim(),
        Engines.mklCodePath(),
        QuickJit.current(),
        env);
  }

  /**
   * The flavour: {@code override} when set, else the {@code cpu}/{@code cuNNN}/{@code rocm} token
   * of the libtorch folder's name (DJL caches as {@code 2.7.1-20250812-cpu-linux-x86_64}), else
   * {@code unknown}.
   */
  static String flavor(String override, String libtorchPath) {
    if (override != null && !override.isBlank()) {
      return override;
    }
    Path name = libtorchPath == null ? null : Paths.get(libtorchPath).getFileName();
    if (name != null) {
      Matcher m = FLAVOR.matcher(name.toString());
      if (m.find()) {
        return m.group(1);
      }
    }
    return "unknown";
  }

  /** The torch-related library files named in {@code /proc/self/maps} lines, sorted, once each. */
  static List<String> nativesIn(List<String> mapsLines) {
    TreeSet<String> found = new TreeSet<>();
    for (String path : MappedFiles.paths(mapsLines)) {
      if (NATIVE.matcher(MappedFiles.fileName(path)).matches()) {
        found.add(path);
      }
    }
    return new ArrayList<>(found);
  }

  private static List<String> mappedNatives() {
    return MappedFiles.ofThisProcess()
        .map(EngineReport::nativesIn)
        .orElse(List.of("(unknown: " + MappedFiles.MAPS + " is not readable on this OS)"));
  }

  private static List<String> cudaDevices(int count) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      MemoryUsage memory = CudaUtils.getGpuMemory(Device.gpu(i));
      lines.add(
          String.format(
              "gpu(%d): compute capability %s, %d MiB, CUDA %s",
              i,
              CudaUtils.getComputeCapability(i),
              memory.getMax() >> 20,
              CudaUtils.getCudaVersionString()));
    }
    return lines;
  }

  /** The report as {@code key: value} lines, lists indented below their key. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    out.add("engine: " + engine);
    out.add("djl: " + djlVersion);
    out.add("libtorch: " + libtorchPath);
    out.add("flavor: " + flavor);
    out.add("cuda devices: " + cudaDevices.size());
    cudaDevices.forEach(d -> out.add("  " + d));
    out.add("threads: " + threads + " intra-op, " + interopThreads + " inter-op");
    out.add("natives loaded:");
    nativeLibraries.forEach(n -> out.add("  " + n));
    out.add(allocator.advice());
    out.add("host huge pages " + hugePages.reason());
    out.add("host memory trim " + mallocTrim.reason());
    out.add("MKL code path: " + mklCodePath.reason());
    out.add("JIT: " + jit.reason());
    out.add("environment:");
    VARIABLES.forEach(v -> out.add("  " + v + "=" + environment.get(v)));
    return out;
  }
}
