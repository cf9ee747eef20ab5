package ai.attune.models.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Chooses next tokens from logits {@code [B, V]}: greedy argmax, or a draw from the distribution
 * after temperature, top-k and top-p (HF's warpers, in HF's order) by inverse CDF.
 *
 * <p>The randomness is explicit: one uniform in (0, 1) per row, passed in by the caller (see {@link
 * #uniforms}), never drawn from the engine's process-global generator, so a seed reproduces the
 * tokens whatever else draws from the engine. Inverse CDF needs one uniform per row where
 * Gumbel-max needs one per vocabulary entry. All results live in the logits' manager.
 */
public final class Sampler {
  private Sampler() {}

  /**
   * The chosen tokens, int64 {@code [B]}.
   *
   * @param logits float32 {@code [B, V]}
   * @param uniforms float32 {@code [B]} in (0, 1); ignored (may be null) when greedy
   */
  public static NDArray sample(NDArray logits, GenerationConfig config, NDArray uniforms) {
    if (config.isGreedy()) {
      return logits.argMax(-1);
    }
    return drawInverseCdf(warp(logits, config), uniforms);
  }

  /** {@link #sample} with the uniforms drawn from {@code random}, one per row. */
  public static NDArray sample(NDArray logits, GenerationConfig config, SplittableRandom random) {
    long batch = logits.getShape().get(0);
    SplittableRandom[] rows = new SplittableRandom[(int) batch];
    Arrays.fill(rows, random);
    return sample(logits, config, uniforms(logits.getManager(), rows));
  }

  /**
   * The logits of the sampling distribution, float32 {@code [B, V]}: divided by the temperature,
   * then everything outside the top-k and outside the top-p nucleus set to -inf. Requires a
   * temperature above 0.
   */
  public static NDArray warp(NDArray logits, GenerationConfig config) {
    if (config.isGreedy()) {
      throw new IllegalArgumentException("warp needs a temperature > 0 (0 is greedy)");
    }
    NDArray scores = logits.div((float) config.temperature());
    long vocab = scores.getShape().get(1);
    if (config.topK() > 0 && config.topK() < vocab) {
      scores = topK(scores, config.topK());
    }
    if (config.topP() < 1) {
      scores = topP(scores, config.topP());
    }
    return scores;
  }

  /** Masks (in place) every score below the row's k-th largest; ties with it are kept. */
  static NDArray topK(NDArray scores, int k) {
    NDArray kth = scores.topK(k, -1, true, true).get(0).get(":, " + (k - 1) + ":");
    scores.set(scores.lt(kth), Float.NEGATIVE_INFINITY);
    return scores;
  }

  /**
   * HF's nucleus: in ascending order, the tokens whose cumulative probability is at most {@code 1 -
   * p} are removed, the most likely always kept. The removed tokens are the first {@code r} of the
   * ascending order, so every score below the {@code r}-th smallest goes (scores tied with that
   * boundary value all stay, where HF keeps some of them).
   */
  static NDArray topP(NDArray scores, double p) {
    long vocab = scores.getShape().get(1);
    NDArray ascending = scores.sort(-1);
    NDArray cumulative = ascending.softmax(-1).cumSum(-1);
    NDArray removed =
        cumulative
            .lte((float) (1 - p))
            .toType(DataType.INT64, false)
            .sum(new int[] {1}, true)
            .minimum(vocab - 1); // [B, 1]
    NDArray boundary = ascending.gather(removed, 1);
    scores.set(scores.lt(boundary), Float.NEGATIVE_INFINITY);
    return scores;
  }

  /**
   * Inverse CDF: the first token whose cumulative probability reaches {@code u} times the total. A
   * token of probability 0 is never chosen, since its cumulative value equals its predecessor's.
   */
  static NDArray drawInverseCdf(NDArray scores, NDArray uniforms) {
    long batch = scores.getShape().get(0);
    if (uniforms == null || !uniforms.getShape().equals(new Shape(batch))) {
      throw new IllegalArgumentException(
          "sampling needs float32 uniforms of shape ["
              + batch
              + "], got "
              + (uniforms == null ? "none" : uniforms.getShape()));
    }
    NDArray cdf = scores.softmax(-1).cumSum(-1);
    long vocab = cdf.getShape().get(1);
    NDArray target = cdf.get(":, " + (vocab - 1) + ":").mul(uniforms.reshape(batch, 1));
    return cdf.lt(target).toType(DataType.INT64, false).sum(new int[] {1});
  }

  /**
   * One uniform in (0, 1) per row, row {@code b} drawn from {@code rows[b]}: 23 random bits centred
   * in their bin, {@code (2k + 1) / 2^24}, exact in float32, never 0 or 1.
   */
  public static NDArray uniforms(NDManager manager, SplittableRandom[] rows) {
    float[] u = new float[rows.length];
    for (int b = 0; b < rows.length; b++) {
      u[b] = (2 * (rows[b].nextInt() >>> 9) + 1) * 0x1.0p-24f;
    }
    return manager.create(u);
  }
}
