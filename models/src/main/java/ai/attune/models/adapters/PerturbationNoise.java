package ai.attune.models.adapters;

import ai.attune.core.noise.SeededNoise;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.charset.StandardCharsets;

/**
 * Where every random array of a per-example perturbation comes from, so that an optimizer can
 * regenerate it from the step seed alone.
 *
 * <p>A layer's noise for one purpose is drawn (float32, see {@link SeededNoise}) from {@code
 * SeededNoise.derive(stepSeed, layerKey(layerName), purpose)}. Keying by the layer's HF name
 * rather than its position keeps the streams stable when layers are added (LoRA) or a model is
 * rebuilt, and identical on every data-parallel worker.
 */
public final class PerturbationNoise {
  /** The Gaussian base {@code U} of a linear weight's shape. */
  public static final long PURPOSE_U = 1;
  /** The per-example output signs {@code r_i} of a linear layer, {@code [B, out]}. */
  public static final long PURPOSE_R = 2;
  /** The per-example input signs {@code s_i} of a linear layer, {@code [B, in]}. */
  public static final long PURPOSE_S = 3;
  /** The per-example gain signs {@code u_i} of a norm layer, {@code [B, D]}. */
  public static final long PURPOSE_NORM_U = 4;
  /**
   * The sign direction {@code u_v} of an embedding row, {@code [D]}: hashed per row on the host
   * ({@link #rowSigns}) so that only the rows a batch looks up are ever made.
   */
  public static final long PURPOSE_EMBED_U = 5;
  /** The per-(example, position) embedding sign {@code s_{i,t}}, {@code [B, T]}. */
  public static final long PURPOSE_EMBED_S = 6;
  /** The initial values of a LoRA {@code A} matrix (derived from the LoRA init seed). */
  public static final long PURPOSE_LORA_A = 7;

  private static final long FNV_OFFSET = 0xCBF29CE484222325L;
  private static final long FNV_PRIME = 0x100000001B3L;

  private PerturbationNoise() {}

  /** A stable 64-bit key of a layer name: FNV-1a over its UTF-8 bytes. */
  public static long layerKey(String layerName) {
    long h = FNV_OFFSET;
    for (byte b : layerName.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xFF)) * FNV_PRIME;
    }
    return h;
  }

  /** The seed of {@code layerName}'s noise for {@code purpose} at step seed {@code stepSeed}. */
  public static long seed(long stepSeed, String layerName, long purpose) {
    return SeededNoise.derive(stepSeed, layerKey(layerName), purpose);
  }

  /** Standard normal float32 noise of {@code shape} for this layer and purpose. */
  public static NDArray gaussian(NDManager m, long stepSeed, String layerName, long purpose,
      Shape shape) {
    return SeededNoise.gaussian(m, seed(stepSeed, layerName, purpose), shape, DataType.FLOAT32);
  }

  /**
   * The ±1 signs of the given rows of a {@code [tableRows, dim]} sign table, {@code [rows.length,
   * dim]} float32 row-major on the host: entry {@code (v, d)} is {@code +1} where bit {@code d mod
   * 64} of {@code SeededNoise.derive(seed(stepSeed, layerName, purpose), v, d / 64)} is set and
   * {@code -1} otherwise. A pure function of (step seed, layer, purpose, row, column): the same on
   * every device and whichever other rows are asked for, so a batch draws only its own rows and
   * a replay regenerates them exactly.
   */
  public static float[] rowSigns(long stepSeed, String layerName, long purpose, long[] rows,
      int dim) {
    long base = seed(stepSeed, layerName, purpose);
    float[] out = new float[rows.length * dim];
    for (int k = 0; k < rows.length; k++) {
      int at = k * dim;
      for (int word = 0; word * 64 < dim; word++) {
        long bits = SeededNoise.derive(base, rows[k], word);
        int end = Math.min(64, dim - word * 64);
        for (int bit = 0; bit < end; bit++) {
          out[at + word * 64 + bit] = ((bits >>> bit) & 1L) != 0 ? 1f : -1f;
        }
      }
    }
    return out;
  }

  /** ±1 float32 signs of {@code shape} for this layer and purpose. */
  public static NDArray signs(NDManager m, long stepSeed, String layerName, long purpose,
      Shape shape) {
    return SeededNoise.rademacher(m, seed(stepSeed, layerName, purpose), shape, DataType.FLOAT32);
  }
}
