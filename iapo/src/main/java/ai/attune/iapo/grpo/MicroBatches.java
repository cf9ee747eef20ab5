package ai.attune.iapo.grpo;

import ai.attune.iapo.rollout.Trajectory;
import java.util.List;

/**
 * A batch of rollouts cut into consecutive micro-batches of at most {@code size} rows, with what
 * each policy token weighs in the whole batch's loss (which depends on the whole batch: its rows
 * and its policy-token count).
 */
final class MicroBatches {
  private final List<Trajectory> rows;
  private final int size;
  private final LossType lossType;
  private final int maxCompletionLength;
  private final long policyTokens;

  private MicroBatches(
      List<Trajectory> rows,
      int size,
      LossType lossType,
      int maxCompletionLength,
      long policyTokens) {
    this.rows = rows;
    this.size = size;
    this.lossType = lossType;
    this.maxCompletionLength = maxCompletionLength;
    this.policyTokens = policyTokens;
  }

  /**
   * Micro-batches of {@code size} rows (0 = one micro-batch of every row) under {@code lossType},
   * whose dr_grpo divides by {@code maxCompletionLength}.
   */
  static MicroBatches of(
      List<Trajectory> rows, int size, LossType lossType, int maxCompletionLength) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("a policy update needs at least one rollout");
    }
    long n = 0;
    for (Trajectory t : rows) {
      n += PolicyTokens.policyTargets(t);
    }
    return new MicroBatches(rows, size == 0 ? rows.size() : size, lossType, maxCompletionLength, n);
  }

  int count() {
    return (rows.size() + size - 1) / size;
  }

  /** Index of micro-batch {@code k}'s first row in the batch. */
  int first(int k) {
    return k * size;
  }

  List<Trajectory> rows(int k) {
    return rows.subList(first(k), Math.min(rows.size(), first(k) + size));
  }

  /** Policy tokens of the whole batch. */
  long policyTokens() {
    return policyTokens;
  }

  /** Each of {@code tokens}' loss weight (micro-batch {@code k}'s tokens, in their order). */
  float[] weights(int k, PolicyTokens tokens) {
    List<Trajectory> mine = rows(k);
    double[] perRow = new double[mine.size()];
    for (int b = 0; b < perRow.length; b++) {
      perRow[b] =
          lossType.tokenWeight(
              PolicyTokens.policyTargets(mine.get(b)),
              rows.size(),
              policyTokens,
              maxCompletionLength);
    }
    float[] w = new float[tokens.count()];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) perRow[tokens.row[i]];
    }
    return w;
  }
}
