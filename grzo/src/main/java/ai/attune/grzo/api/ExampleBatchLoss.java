package ai.attune.grzo.api;

import ai.attune.grzo.optim.BatchLoss;
import ai.attune.models.LanguageModel;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDManager;

/**
 * The {@link BatchLoss} of one step's batch of the user's examples under the user's {@link
 * ExampleLoss}: one row per example, so example {@code i} owns row {@code i}.
 *
 * <p>Lifecycle: built once per step; each {@link #evaluate} makes the batch's arrays in a
 * sub-manager of the step's manager, runs the loss there and frees everything but the numbers.
 */
final class ExampleBatchLoss<E> implements BatchLoss {
  private final EncodedRows<E> rows;
  private final ExampleLoss<E> loss;
  private final LanguageModel model;
  private final TextTokenizer tokenizer;
  private final NDManager manager;
  private final long[][] rowTokens;

  ExampleBatchLoss(
      EncodedRows<E> rows,
      ExampleLoss<E> loss,
      LanguageModel model,
      TextTokenizer tokenizer,
      NDManager manager) {
    this.rows = rows;
    this.loss = loss;
    this.model = model;
    this.tokenizer = tokenizer;
    this.manager = manager;
    this.rowTokens = rows.paddedTokens();
  }

  @Override
  public int examples() {
    return rowTokens.length;
  }

  @Override
  public int[] rowExamples() {
    int[] out = new int[rowTokens.length];
    for (int r = 0; r < out.length; r++) {
      out[r] = r;
    }
    return out;
  }

  @Override
  public long[][] rowTokens() {
    return BatchLoss.copyOf(rowTokens);
  }

  @Override
  public double[] evaluate(int copies) {
    try (NDManager pass = manager.newSubManager()) {
      return EncodedRows.losses(loss, model, rows.toBatch(copies, pass, tokenizer));
    }
  }
}
