package ai.attune.grzo.train;

import ai.attune.grzo.optim.BatchLoss;
import ai.attune.grzo.tasks.EncodedBatch;
import ai.attune.grzo.tasks.PerExampleLoss;
import ai.attune.models.LanguageModel;
import ai.djl.ndarray.NDManager;

/**
 * The {@link BatchLoss} of one encoded task batch: the per-example task losses ({@link
 * PerExampleLoss}) of the model as it is at each call, perturbed or not.
 *
 * <p>Lifecycle: built once per step over a batch encoded in the step's manager; each {@link
 * #evaluate} stacks the copies it is asked for in a sub-manager of that manager, runs the forward
 * there and frees everything but the losses it returns, so the passes of a step do not pile up
 * activations.
 */
public final class TaskBatchLoss implements BatchLoss {
  private final LanguageModel model;
  private final EncodedBatch batch;
  private final PerExampleLoss loss;
  private final int[] rowExamples;
  private final long[][] rowTokens;

  /** The loss of {@code batch} under {@code model}, computed by {@code loss}. */
  public TaskBatchLoss(LanguageModel model, EncodedBatch batch, PerExampleLoss loss) {
    this.model = model;
    this.batch = batch;
    this.loss = loss;
    int rows = batch.numRows();
    this.rowExamples = new int[rows];
    for (int r = 0; r < rows; r++) {
      rowExamples[r] = batch.exampleOfRow(r);
    }
    this.rowTokens = maskedTokens(batch);
  }

  private static long[][] maskedTokens(EncodedBatch batch) {
    int rows = batch.numRows();
    long[] ids = batch.inputIds().toLongArray();
    long[] mask = batch.attentionMask().toLongArray();
    int t = ids.length / rows;
    long[][] out = new long[rows][t];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < t; j++) {
        int at = r * t + j;
        out[r][j] = mask[at] == 0 ? -1 : ids[at];
      }
    }
    return out;
  }

  /** The batch this loss scores. */
  public EncodedBatch batch() {
    return batch;
  }

  @Override
  public int examples() {
    return batch.numExamples();
  }

  @Override
  public int[] rowExamples() {
    return rowExamples.clone();
  }

  @Override
  public long[][] rowTokens() {
    return BatchLoss.copyOf(rowTokens);
  }

  @Override
  public double[] evaluate(int copies) {
    try (NDManager pass = batch.inputIds().getManager().newSubManager()) {
      EncodedBatch stacked = batch.repeat(copies, pass);
      float[] values = loss.apply(model, stacked).toFloatArray();
      if (values.length != copies * examples()) {
        throw new IllegalStateException(
            "the task loss gave "
                + values.length
                + " values for "
                + copies
                + " x "
                + examples()
                + " examples");
      }
      double[] out = new double[values.length];
      for (int i = 0; i < values.length; i++) {
        out[i] = values[i];
      }
      return out;
    }
  }
}
