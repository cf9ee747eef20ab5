package ai.attune.grzo.tasks;

import ai.attune.models.CausalLM;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;

/**
 * Option scores computed the long way: one unpadded row per option ({@code [BOS] + tokens(prompt +
 * option)}, keeping the last {@code maxLength - 1} text tokens), one forward pass each,
 * log-probabilities in double precision.
 */
final class CausalReference {
  private final CausalLM lm;
  private final TextTokenizer tok;
  private final NDManager root;
  private final int maxLength;

  CausalReference(CausalLM lm, TextTokenizer tok, NDManager root, int maxLength) {
    this.lm = lm;
    this.tok = tok;
    this.root = root;
    this.maxLength = maxLength;
  }

  long[] row(TaskExample e, int k) {
    long[] full = tok.encode(e.fullText(k));
    if (full.length > maxLength - 1) {
      full = Arrays.copyOfRange(full, full.length - (maxLength - 1), full.length);
    }
    long[] row = new long[full.length + 1];
    row[0] = lm.info().bosTokenId();
    System.arraycopy(full, 0, row, 1, full.length);
    return row;
  }

  int optionLength(TaskExample e, int k) {
    return tok.encode(e.fullText(k)).length - tok.encode(e.prompt()).length;
  }

  /** Mean log-probability of each option's tokens after the prompt. */
  double[] optionScores(TaskExample e) {
    double[] s = new double[e.options().size()];
    for (int k = 0; k < s.length; k++) {
      long[] row = row(e, k);
      try (NDManager m = root.newSubManager()) {
        NDArray ids = m.create(row).reshape(1, row.length);
        float[] logits = lm.forward(ids, ids.onesLike(), null).toFloatArray();
        s[k] = HandMath.meanLogProbOfTail(logits, row, optionLength(e, k), lm.info().vocabSize());
      }
    }
    return s;
  }

  /** Cross-entropy over the options (classification loss). */
  double classificationLoss(TaskExample e) {
    return HandMath.crossEntropy(optionScores(e), e.label());
  }

  /** Token-mean LM loss of the correct option. */
  double lmLoss(TaskExample e) {
    return -optionScores(e)[e.label()];
  }
}
