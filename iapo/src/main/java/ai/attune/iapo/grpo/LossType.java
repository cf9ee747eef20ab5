package ai.attune.iapo.grpo;

import ai.attune.models.layers.Tensors;
import ai.djl.ndarray.NDArray;

/**
 * How per-token losses of a batch become one scalar. Each variant sums {@code loss · mask}; they
 * differ in what they divide by, which decides how much a long response weighs.
 */
public enum LossType {
  /**
   * GRPO (Shao et al. 2024, eq. 3): the mean over each sequence's policy tokens, then the mean over
   * sequences. A token of a long response weighs less than one of a short response.
   */
  GRPO {
    @Override
    NDArray reduce(NDArray masked, NDArray mask, int maxCompletionLength) {
      int[] time = {1};
      return masked.sum(time).div(mask.sum(time).maximum(1)).mean();
    }
  },
  /**
   * Dr. GRPO (Liu et al. 2025, "Understanding R1-Zero-Like Training", section 3.1): the sum over
   * all policy tokens divided by a constant, {@code B × max_completion_length}, which removes the
   * length bias of {@link #GRPO}.
   */
  DR_GRPO {
    @Override
    NDArray reduce(NDArray masked, NDArray mask, int maxCompletionLength) {
      // the positions of a row hold prompt, image and tool-output tokens too: compare the
      // completion (policy tokens) of the longest row, not the padded width
      long longest =
          Math.round(
              mask.sum(new int[] {1})
                  .max()
                  .toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                  .getDouble());
      if (maxCompletionLength < longest) {
        throw new IllegalArgumentException(
            "dr_grpo: max completion length "
                + maxCompletionLength
                + " is shorter than a completion of "
                + longest
                + " policy tokens");
      }
      return Tensors.divScalar(
          masked.sum(), (double) masked.getShape().get(0) * maxCompletionLength);
    }
  },
  /**
   * DAPO (Yu et al. 2025, section 3.3, "token-level policy gradient loss"): the mean over all
   * policy tokens of the batch, every token weighing the same (verl's {@code token-mean}, its
   * default).
   */
  DAPO {
    @Override
    NDArray reduce(NDArray masked, NDArray mask, int maxCompletionLength) {
      return masked.sum().div(mask.sum().maximum(1));
    }
  };

  /**
   * The scalar loss.
   *
   * @param perTokenLoss {@code [B, T]}
   * @param mask {@code [B, T]}, 1 for policy tokens (prompt, tool-output and padding tokens 0)
   * @param maxCompletionLength the generation limit (used by {@link #DR_GRPO}; at least the policy
   *     tokens of every row)
   */
  public NDArray aggregate(NDArray perTokenLoss, NDArray mask, int maxCompletionLength) {
    Shapes.require2d("perTokenLoss", perTokenLoss);
    Shapes.requireSame("mask", mask, perTokenLoss);
    NDArray m = mask.toType(perTokenLoss.getDataType(), false);
    return reduce(perTokenLoss.mul(m), m, maxCompletionLength);
  }

  abstract NDArray reduce(NDArray masked, NDArray mask, int maxCompletionLength);

  /**
   * The weight of one policy token in the batch loss, so that {@code Σ weight · perTokenLoss} over
   * the policy tokens equals {@link #aggregate}: the form a loss takes when the batch is split into
   * micro-batches (each contributes its tokens' weighted sum, the gradients add up).
   *
   * @param rowPolicyTokens policy tokens of the token's rollout
   * @param rows rollouts in the whole batch (B)
   * @param batchPolicyTokens policy tokens in the whole batch
   * @param maxCompletionLength {@link #DR_GRPO}'s constant; at least {@code rowPolicyTokens}
   */
  public double tokenWeight(
      int rowPolicyTokens, int rows, long batchPolicyTokens, int maxCompletionLength) {
    return switch (this) {
      case GRPO -> 1.0 / ((double) Math.max(1, rowPolicyTokens) * rows);
      case DR_GRPO -> {
        if (rowPolicyTokens > maxCompletionLength) {
          throw new IllegalArgumentException(
              "dr_grpo: max completion length "
                  + maxCompletionLength
                  + " is shorter than a rollout's "
                  + rowPolicyTokens
                  + " policy tokens");
        }
        yield 1.0 / ((double) rows * maxCompletionLength);
      }
      case DAPO -> 1.0 / Math.max(1, batchPolicyTokens);
    };
  }

  /** The name in configs and logs: {@code grpo}, {@code dr_grpo}, {@code dapo}. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
