package ai.attune.grzo.bench;

import ai.attune.grzo.optim.BatchLoss;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The benchmark's fixed batch of token rows and the loss each phase scores it with ({@link
 * RandomTokensLoss} for a causal LM, {@link RandomSlotLoss} for a masked LM). The ids live on the
 * device for the whole run, once and twice over (the fused pass's 2B rows); each evaluation reads
 * back only the B (or 2B) losses.
 *
 * <p>Lifecycle: made once per run under the run's root manager, scored by every phase, closed
 * (freeing its arrays) when the run ends.
 */
abstract class BenchBatch implements BatchLoss, AutoCloseable {
  private final NDManager manager;
  private final long[][] tokens;
  private final NDArray ids;
  private final NDArray ids2;

  /** {@code tokens}: the batch's rows, all of one length. */
  BenchBatch(NDManager parent, long[][] tokens) {
    this.manager = parent.newSubManager();
    this.tokens = tokens;
    int length = tokens[0].length;
    long[] flat = new long[tokens.length * length];
    for (int i = 0; i < tokens.length; i++) {
      System.arraycopy(tokens[i], 0, flat, i * length, length);
    }
    ids = manager.create(flat).reshape(tokens.length, length);
    ids2 = ids.concat(ids, 0);
  }

  /** Where a subclass keeps arrays that live as long as the batch. */
  final NDManager manager() {
    return manager;
  }

  /** The losses, float32 {@code [rows]}, of the rows {@code x} (the batch {@code copies} times). */
  abstract NDArray losses(NDArray x, int copies);

  @Override
  public final int examples() {
    return tokens.length;
  }

  @Override
  public final int[] rowExamples() {
    int[] rows = new int[tokens.length];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = i;
    }
    return rows;
  }

  @Override
  public final long[][] rowTokens() {
    return tokens;
  }

  @Override
  public final double[] evaluate(int copies) {
    if (copies != 1 && copies != 2) {
      throw new IllegalArgumentException("the benchmark batch supports 1 or 2 copies");
    }
    try (NDManager step = manager.newSubManager()) {
      NDArray x = (copies == 1 ? ids : ids2).duplicate();
      x.attach(step);
      float[] loss = losses(x, copies).toFloatArray();
      double[] out = new double[loss.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = loss[i];
      }
      return out;
    }
  }

  @Override
  public final void close() {
    manager.close();
  }
}
