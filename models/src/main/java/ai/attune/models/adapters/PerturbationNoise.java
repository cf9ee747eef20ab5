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
 * <p>Layer {@code i} (its {@link Perturbable#streamIndex}: its place among the perturbable layers
 * registered in its store) draws its noise for {@code purpose} (float32, see {@link SeededNoise})
 * from the engine stream {@code SeededNoise.stream(stepSeed, i · PURPOSES + purpose)}: the step
 * seed is a 64-bit mix of the run seed and the step, and every (layer, purpose) of a step takes a
 * stream of its own from it, so two layers never share noise (the engine seeds of one step are
 * distinct even in the 32 bits a CPU generator keeps). The index is fixed by the model's
 * construction order, the same on every data-parallel worker and for a rebuilt model.
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

  /** The number of purposes a layer's streams are spaced by. */
  public static final long PURPOSES = 8;

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

  /**
   * The engine seed of layer {@code streamIndex}'s noise for {@code purpose} at step seed {@code
   * stepSeed}.
   *
   * @throws IllegalArgumentException for a negative index (a layer not registered in a store, such
   *     as a tied output head, has no noise stream)
   */
  public static long engineSeed(long stepSeed, int streamIndex, long purpose) {
    if (streamIndex < 0) {
      throw new IllegalArgumentException(
          "a layer that is not registered in a parameter store"
              + " (a tied head) has no noise stream");
    }
    if (purpose < 1 || purpose >= PURPOSES) {
      throw new IllegalArgumentException(
          "noise purpose must be in [1, " + PURPOSES + "), got " + purpose);
    }
    return SeededNoise.stream(stepSeed, streamIndex * PURPOSES + purpose);
  }

  /** Standard normal float32 noise of {@code shape} for this layer and purpose. */
  public static NDArray gaussian(
      NDManager m, long stepSeed, int streamIndex, long purpose, Shape shape) {
    return SeededNoise.gaussianAt(
        m, engineSeed(stepSeed, streamIndex, purpose), shape, DataType.FLOAT32);
  }

  /**
   * The ±1 signs of the given rows of a {@code [tableRows, dim]} sign table, {@code [rows.length,
   * dim]} float32 row-major on the host: entry {@code (v, d)} is {@code +1} where bit {@code d mod
   * 64} of {@code SeededNoise.derive(engineSeed(stepSeed, streamIndex, purpose), v, d / 64)} is set
   * and {@code -1} otherwise. A pure function of (step seed, layer, purpose, row, column): the same
   * on every device and whichever other rows are asked for, so a batch draws only its own rows and
   * a replay regenerates them exactly.
   */
  public static float[] rowSigns(
      long stepSeed, int streamIndex, long purpose, long[] rows, int dim) {
    long base = engineSeed(stepSeed, streamIndex, purpose);
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

  /**
   * The ±1 per-position signs of a batch's rows, {@code [rowExamples.length, positions]} float32
   * row-major on the host: entry {@code (r, t)} is sign {@code (i, k)} with {@code i =
   * rowExamples[r]} and {@code k = t - rowPads[r]} (the column's place in its unpadded row), {@code
   * +1} where bit {@code floorMod(k, 64)} of {@code SeededNoise.derive(engineSeed(stepSeed,
   * streamIndex, purpose), i, floorDiv(k, 64))} is set. A pure function of (step seed, layer,
   * purpose, example, place): the same however far the batch is padded and whichever examples it
   * holds.
   */
  public static float[] positionSigns(
      long stepSeed,
      int streamIndex,
      long purpose,
      int[] rowExamples,
      int[] rowPads,
      int positions) {
    if (rowPads.length != rowExamples.length) {
      throw new IllegalArgumentException(
          rowExamples.length + " rows but " + rowPads.length + " padding counts");
    }
    long base = engineSeed(stepSeed, streamIndex, purpose);
    float[] out = new float[rowExamples.length * positions];
    for (int r = 0; r < rowExamples.length; r++) {
      long word = Long.MIN_VALUE;
      long bits = 0;
      for (int t = 0; t < positions; t++) {
        long k = (long) t - rowPads[r];
        long w = Math.floorDiv(k, 64L);
        if (w != word) {
          word = w;
          bits = SeededNoise.derive(base, rowExamples[r], w);
        }
        out[r * positions + t] = ((bits >>> Math.floorMod(k, 64L)) & 1L) != 0 ? 1f : -1f;
      }
    }
    return out;
  }

  /** ±1 float32 signs of {@code shape} for this layer and purpose. */
  public static NDArray signs(
      NDManager m, long stepSeed, int streamIndex, long purpose, Shape shape) {
    return SeededNoise.rademacherAt(
        m, engineSeed(stepSeed, streamIndex, purpose), shape, DataType.FLOAT32);
  }
}
