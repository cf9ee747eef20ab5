package ai.attune.grzo.bench;

import ai.attune.grzo.optim.BatchLoss;
import ai.attune.models.CausalLM;
import ai.attune.models.LanguageModelLoss;
import ai.attune.models.SeparableHeadLM;
import ai.attune.models.TokenInputs;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;

/**
 * A fixed batch of random token sequences scored by the token-mean next-token loss: the workload of
 * the benchmark. The ids live on the device for the whole run; each evaluation reads back only the
 * B (or 2B) losses.
 */
final class RandomTokensLoss implements BatchLoss, AutoCloseable {
  private final CausalLM model;
  private final NDManager manager;
  private final long[][] tokens;
  private final NDArray ids;
  private final NDArray ids2;

  RandomTokensLoss(CausalLM model, NDManager parent, int batch, int length, long seed) {
    this.model = model;
    this.manager = parent.newSubManager();
    SplittableRandom rng = new SplittableRandom(seed);
    tokens = new long[batch][length];
    long[] flat = new long[batch * length];
    for (int i = 0; i < batch; i++) {
      for (int t = 0; t < length; t++) {
        tokens[i][t] = rng.nextInt(model.info().vocabSize());
        flat[i * length + t] = tokens[i][t];
      }
    }
    ids = manager.create(flat).reshape(batch, length);
    ids2 = ids.concat(ids, 0);
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

  @Override
  public double[] evaluate(int copies) {
    if (copies != 1 && copies != 2) {
      throw new IllegalArgumentException("the benchmark batch supports 1 or 2 copies");
    }
    try (NDManager step = manager.newSubManager()) {
      NDArray x = (copies == 1 ? ids : ids2).duplicate();
      x.attach(step);
      NDArray mask = x.onesLike();
      float[] loss = loss(x, mask).toFloatArray();
      double[] out = new double[loss.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = loss[i];
      }
      return out;
    }
  }

  /**
   * The rows' losses; for a model with a separable head, the head runs on a block of rows at a time
   * inside the loss, so the {@code [B, T, vocab]} logits never exist at once.
   */
  private NDArray loss(NDArray x, NDArray mask) {
    if (model instanceof SeparableHeadLM lm) {
      TokenInputs.check(lm, x, mask); // as model.forward checks
      NDArray hidden = lm.forwardHidden(lm.embed(x), mask, null);
      return LanguageModelLoss.perExample(lm, hidden, x, mask);
    }
    return LanguageModelLoss.perExample(model.forward(x, mask, null), x, mask);
  }

  @Override
  public void close() {
    manager.close();
  }
}
