package ai.attune.grzo.bench;

import ai.attune.models.CausalLM;
import ai.attune.models.LanguageModelLoss;
import ai.attune.models.SeparableHeadLM;
import ai.attune.models.TokenInputs;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;

/**
 * The causal-LM workload of the benchmark: a fixed batch of random token sequences scored by the
 * token-mean next-token loss.
 */
final class RandomTokensLoss extends BenchBatch {
  private final CausalLM model;

  RandomTokensLoss(CausalLM model, NDManager parent, int batch, int length, long seed) {
    super(parent, randomTokens(model.info().vocabSize(), batch, length, seed));
    this.model = model;
  }

  private static long[][] randomTokens(int vocab, int batch, int length, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    long[][] tokens = new long[batch][length];
    for (int i = 0; i < batch; i++) {
      for (int t = 0; t < length; t++) {
        tokens[i][t] = rng.nextInt(vocab);
      }
    }
    return tokens;
  }

  /**
   * The rows' losses; for a model with a separable head, the head runs on a block of rows at a time
   * inside the loss, so the {@code [B, T, vocab]} logits never exist at once.
   */
  @Override
  NDArray losses(NDArray x, int copies) {
    NDArray mask = x.onesLike();
    if (model instanceof SeparableHeadLM lm) {
      TokenInputs.check(lm, x, mask); // as model.forward checks
      NDArray hidden = lm.forwardHidden(lm.embed(x), mask, null);
      return LanguageModelLoss.perExample(lm, hidden, x, mask);
    }
    return LanguageModelLoss.perExample(model.forward(x, mask, null), x, mask);
  }
}
