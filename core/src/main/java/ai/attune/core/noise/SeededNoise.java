package ai.attune.core.noise;

import ai.attune.core.device.EngineConstants;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Noise that is regenerated from a 64-bit seed instead of stored: the basis of every zeroth-order
 * method (MeZO, GRZO) and of seeded initialisation.
 *
 * <h2>RNG contract</h2>
 *
 * <ul>
 *   <li><b>Seed derivation</b> is pure Java and identical on every machine: {@link #derive}
 *       computes {@code h = next(seed)}, then {@code h = next(h ^ p)} for each element {@code p} of
 *       the path, where {@code next(x) = mix64(x + 0x9E3779B97F4A7C15)} is one SplitMix64 step
 *       ({@link #splitMix64}, the same function as the first {@code nextLong()} of {@code new
 *       SplittableRandom(x)}). The order of the path matters.
 *   <li><b>Streams</b>: {@link #stream}{@code (seed, i)} = {@code next(seed) + i} is the engine
 *       seed of stream i of a seed; the streams of one seed never share an engine seed (the
 *       per-layer noise of a zeroth-order step is drawn this way, see the models module's {@code
 *       PerturbationNoise}).
 *   <li><b>Draws</b> use the engine's generator: it is seeded with {@link #engineSeed}{@code
 *       (seed)} (the high 32 bits of {@code next(seed)}: the engine takes an int seed), then one
 *       array is drawn in float32 on the manager's device and cast to the requested type. Same
 *       seed, shape and device type give bit-identical arrays across managers, runs and thread
 *       counts. CPU and CUDA generators differ, so the same seed gives different values there.
 *   <li>{@link #gaussian}: {@code N(0, 1)} entries. {@link #rademacher}: {@code -1} where a uniform
 *       {@code [0, 1)} draw is below 0.5, {@code +1} otherwise (never 0). {@link #uniform}: uniform
 *       on {@code [low, high)}.
 * </ul>
 *
 * <p><b>The engine generator is global to the process.</b> Seeding and drawing are done under one
 * lock here, so draws of this class never interleave with each other, but any other code drawing
 * from the engine ({@code randomNormal}, {@code randomUniform}, dropout) on another thread at the
 * same time can slip between the seeding and the draw and change the values: do not draw
 * concurrently. A draw also leaves the engine generator in a state that depends on the seed.
 *
 * <p>Requested types are float32, float16 or float64; bfloat16 is refused (it aborts the engine).
 * Every temporary is freed; the result belongs to the given manager.
 */
public final class SeededNoise {
  /** The SplitMix64 increment (the golden-ratio gamma of {@code SplittableRandom}). */
  public static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private static final Object ENGINE_RNG = new Object();

  private SeededNoise() {}

  /** One SplitMix64 step: {@code mix64(x + GOLDEN_GAMMA)} (Stafford's variant 13 mixer). */
  public static long splitMix64(long x) {
    long z = x + GOLDEN_GAMMA;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A seed derived from {@code seed} and a path of integers (layer key, purpose, ...). */
  public static long derive(long seed, long... path) {
    long h = splitMix64(seed);
    for (long p : path) {
      h = splitMix64(h ^ p);
    }
    return h;
  }

  /** The int the engine generator is seeded with for {@code seed}. */
  public static int engineSeed(long seed) {
    return (int) (splitMix64(seed) >>> 32);
  }

  /**
   * The engine seed of stream {@code index} of {@code seed}: {@code splitMix64(seed) + index}. The
   * streams 0 to 2^32 − 1 of one seed have distinct engine seeds, even in the low 32 bits that a
   * CPU generator keeps (a CUDA generator keeps all 64), so they never share a stream. Draw from
   * one with {@link #gaussianAt} or {@link #rademacherAt}.
   */
  public static long stream(long seed, long index) {
    return splitMix64(seed) + index;
  }

  /** Standard normal noise of {@code shape}, drawn in float32 and cast to {@code type}. */
  public static NDArray gaussian(NDManager m, long seed, Shape shape, DataType type) {
    return gaussianAt(m, engineSeed(seed), shape, type);
  }

  /**
   * Standard normal noise drawn with the engine generator seeded by exactly {@code engineSeed} (all
   * 64 bits reach the engine), in float32, cast to {@code type}.
   */
  public static NDArray gaussianAt(NDManager m, long engineSeed, Shape shape, DataType type) {
    checkType(type);
    synchronized (ENGINE_RNG) {
      seedEngine(m, engineSeed);
      if (type == DataType.FLOAT32) {
        return m.randomNormal(0f, 1f, shape, DataType.FLOAT32); // no cast, so no temporary
      }
      try (NDManager tmp = m.newSubManager()) {
        NDArray z = tmp.randomNormal(0f, 1f, shape, DataType.FLOAT32);
        return into(z, type, m);
      }
    }
  }

  /**
   * {@code N(0, std²)} float32 noise of {@code shape} in one engine draw: the same generator stream
   * as {@link #gaussianAt}, each value the standard draw times {@code std} (on the CPU and CUDA
   * kernels bit for bit the float32 product {@code gaussian(...) * std} for arrays of 16 or more
   * entries; smaller arrays are drawn in double and may differ in the last bit). Saves the separate
   * scaling pass of a perturbation {@code θ += std · z}.
   *
   * @param std the scale, finite and {@code >= 0}
   */
  public static NDArray scaledGaussianAt(NDManager m, long engineSeed, Shape shape, float std) {
    if (!(std >= 0) || !Float.isFinite(std)) {
      throw new IllegalArgumentException("gaussian scale must be finite and >= 0, got " + std);
    }
    synchronized (ENGINE_RNG) {
      seedEngine(m, engineSeed);
      return m.randomNormal(0f, std, shape, DataType.FLOAT32);
    }
  }

  /** Independent ±1 signs of {@code shape}, each with probability 1/2, as {@code type}. */
  public static NDArray rademacher(NDManager m, long seed, Shape shape, DataType type) {
    return rademacherAt(m, engineSeed(seed), shape, type);
  }

  /**
   * ±1 signs drawn with the engine generator seeded by exactly {@code engineSeed}: one uniform
   * float32 draw, then {@code where(u >= 0.5, +1, −1)} in {@code type}. The scalars are shared
   * engine-made 0-d arrays ({@link EngineConstants}), not DJL's {@code gte(Number)}, whose Java
   * direct buffer per scalar cost more than the draw of a small sign array while the JIT is warming
   * up; for the same reason the draw makes no sub-manager.
   */
  public static NDArray rademacherAt(NDManager m, long engineSeed, Shape shape, DataType type) {
    checkType(type);
    synchronized (ENGINE_RNG) {
      seedEngine(m, engineSeed);
      try (NDArray u = m.randomUniform(0f, 1f, shape, DataType.FLOAT32);
          NDArray atLeastHalf = u.gte(EngineConstants.of(m, 0.5f, DataType.FLOAT32))) {
        return plusOrMinusOne(atLeastHalf, type, m);
      }
    }
  }

  /**
   * +1 where {@code condition} holds, −1 elsewhere, as {@code type}, in {@code m}: libtorch's
   * {@code where} over two shared 0-d scalars, which it broadcasts (DJL's {@code where} refuses
   * to).
   */
  private static NDArray plusOrMinusOne(NDArray condition, DataType type, NDManager m) {
    NDArray plus = EngineConstants.of(m, 1f, type);
    NDArray minus = EngineConstants.of(m, -1f, type);
    if (condition instanceof PtNDArray c
        && plus instanceof PtNDArray p
        && minus instanceof PtNDArray n) {
      NDArray signs = JniUtils.where(c, p, n); // in the manager of p: the constants'
      signs.attach(m);
      return signs;
    }
    return condition.toType(type, false).muli(2f).subi(1f);
  }

  /** Uniform noise on {@code [low, high)} of {@code shape}, drawn in float32, as {@code type}. */
  public static NDArray uniform(
      NDManager m, long seed, Shape shape, DataType type, float low, float high) {
    checkType(type);
    if (!(low < high)) {
      throw new IllegalArgumentException(
          "uniform noise needs low < high, got " + low + ", " + high);
    }
    synchronized (ENGINE_RNG) {
      try (NDManager tmp = m.newSubManager()) {
        m.getEngine().setRandomSeed(engineSeed(seed));
        NDArray u = tmp.randomUniform(low, high, shape, DataType.FLOAT32);
        return into(u, type, m);
      }
    }
  }

  /**
   * Seeds the engine generator: through the engine's int API, then, on PyTorch and for a seed
   * outside the int range, with all 64 bits ({@code torch.manual_seed} takes a uint64; for an int
   * seed both calls give the same state).
   */
  private static void seedEngine(NDManager m, long engineSeed) {
    m.getEngine().setRandomSeed((int) engineSeed);
    if (engineSeed != (int) engineSeed && "PyTorch".equals(m.getEngine().getEngineName())) {
      JniUtils.setSeed(engineSeed);
    }
  }

  private static NDArray into(NDArray a, DataType type, NDManager m) {
    NDArray out = a.getDataType() == type ? a : a.toType(type, false);
    out.attach(m);
    return out;
  }

  private static void checkType(DataType type) {
    if (type != DataType.FLOAT32 && type != DataType.FLOAT16 && type != DataType.FLOAT64) {
      throw new IllegalArgumentException(
          "seeded noise is drawn as float32, float16 or float64, not "
              + type
              + (type == DataType.BFLOAT16 ? " (bfloat16 arrays abort the engine)" : ""));
    }
  }
}
