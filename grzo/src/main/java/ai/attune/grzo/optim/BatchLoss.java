package ai.attune.grzo.optim;

/**
 * One fixed mini-batch and the per-example losses of the model on it, as the model is at the moment
 * of the call (perturbed or not). Supplied by a task for each step; a {@link ZerothOrderOptimizer}
 * calls {@link #evaluate} once per pass.
 *
 * <p>The batch has {@link #examples()} examples laid out as rows of a token batch; several rows may
 * belong to one example (the option rows of a classification question).
 */
public interface BatchLoss {

  /** The number B of examples (one loss each). */
  int examples();

  /** The example (0 to B-1) of each row of one copy of the token batch. */
  int[] rowExamples();

  /**
   * The token ids of each row of one copy of the token batch, with -1 at padding positions
   * (embedding row updates skip padding).
   */
  long[][] rowTokens();

  /**
   * Per-example losses of the batch repeated {@code copies} times along the row axis: {@code copies
   * * B} values, copy-major (the losses of copy 0 first). {@code copies} is 1 for a plain pass and
   * 2 for GRZO's fused ± pass, where the perturbation gives the first copy the sign +1 and the
   * second −1.
   */
  double[] evaluate(int copies);

  /**
   * A deep copy of {@code rows} (what {@link #rowTokens} hands out, so callers cannot change it).
   */
  static long[][] copyOf(long[][] rows) {
    long[][] out = new long[rows.length][];
    for (int r = 0; r < out.length; r++) {
      out[r] = rows[r].clone();
    }
    return out;
  }
}
