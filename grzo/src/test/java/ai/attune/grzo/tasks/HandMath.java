package ai.attune.grzo.tasks;

/** Reference math in double precision over logits read back from the engine. */
final class HandMath {
  private HandMath() {}

  /** log(sum(exp(a[off .. off + n)))). */
  static double logSumExp(float[] a, int off, int n) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, a[off + i]);
    }
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += Math.exp(a[off + i] - max);
    }
    return max + Math.log(s);
  }

  static double logSumExp(double[] a) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : a) {
      max = Math.max(max, v);
    }
    double s = 0;
    for (double v : a) {
      s += Math.exp(v - max);
    }
    return max + Math.log(s);
  }

  /**
   * Mean of log p(row[p] | row[:p]) over the last {@code count} positions of a single row whose
   * logits {@code [L, vocab]} are given.
   */
  static double meanLogProbOfTail(float[] logits, long[] row, int count, int vocab) {
    double sum = 0;
    for (int p = row.length - count; p < row.length; p++) {
      int off = (p - 1) * vocab;
      sum += logits[off + (int) row[p]] - logSumExp(logits, off, vocab);
    }
    return sum / count;
  }

  /** Cross-entropy of scores at {@code label}: logsumexp(scores) - scores[label]. */
  static double crossEntropy(double[] scores, int label) {
    return logSumExp(scores) - scores[label];
  }

  static int argmax(double[] scores) {
    int best = 0;
    for (int i = 1; i < scores.length; i++) {
      if (scores[i] > scores[best]) {
        best = i;
      }
    }
    return best;
  }

  static double maxAbsDiff(float[] a, double[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
