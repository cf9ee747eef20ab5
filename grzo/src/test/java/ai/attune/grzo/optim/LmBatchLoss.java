package ai.attune.grzo.optim;

import ai.attune.models.CausalLM;
import ai.attune.models.LanguageModelLoss;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;

/**
 * A batch of B random token sequences over a small vocabulary (so that the examples' gradients
 * share a common direction, as those of a real task do), scored by the token-mean next-token loss
 * (tests only).
 */
final class LmBatchLoss implements BatchLoss {
  private final CausalLM model;
  private final NDManager manager;
  private final long[][] tokens;

  LmBatchLoss(CausalLM model, NDManager manager, int examples, int length, long seed) {
    this(model, manager, examples, length, seed, 8);
  }

  LmBatchLoss(
      CausalLM model, NDManager manager, int examples, int length, long seed, int vocabulary) {
    this.model = model;
    this.manager = manager;
    SplittableRandom rng = new SplittableRandom(seed);
    tokens = new long[examples][length];
    for (long[] row : tokens) {
      for (int t = 0; t < length; t++) {
        row[t] = 13 + rng.nextInt(vocabulary);
      }
    }
  }

  @Override
  public int examples() {
    return tokens.length;
  }

  @Override
  public int[] rowExamples() {
    int[] rows = new int[tokens.length];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = i;
    }
    return rows;
  }

  @Override
  public long[][] rowTokens() {
    return tokens;
  }

  /** The token batch repeated {@code copies} times, in {@code m}. */
  NDArray ids(NDManager m, int copies) {
    int b = tokens.length;
    int t = tokens[0].length;
    long[] flat = new long[copies * b * t];
    for (int c = 0; c < copies; c++) {
      for (int i = 0; i < b; i++) {
        System.arraycopy(tokens[i], 0, flat, (c * b + i) * t, t);
      }
    }
    return m.create(flat).reshape(copies * b, t);
  }

  @Override
  public double[] evaluate(int copies) {
    try (NDManager step = manager.newSubManager()) {
      NDArray ids = ids(step, copies);
      NDArray mask = ids.onesLike();
      NDArray logits = model.forward(ids, mask, null);
      float[] loss = LanguageModelLoss.perExample(logits, ids, mask).toFloatArray();
      double[] out = new double[loss.length];
      for (int i = 0; i < loss.length; i++) {
        out[i] = loss[i];
      }
      return out;
    }
  }
}
