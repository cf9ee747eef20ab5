package ai.attune.grzo.tasks;

import ai.attune.models.CausalLM;
import ai.attune.models.LanguageModel;
import ai.attune.models.MaskedLM;
import ai.attune.models.SeparableHeadLM;
import ai.attune.models.SeparableHeadMaskedLM;
import ai.djl.ndarray.NDArray;

/**
 * A model's forward pass as a plain function from int64 ids and attention mask {@code [R, T]} to
 * float32 logits {@code [R, T, vocab]} in the manager of the ids. Optimizers pass their own (a
 * forward with a perturbation active) to {@link PerExampleLoss#withForward}.
 *
 * <p>A task loss reads the logits of a few positions only (the option span, the mask slot). {@link
 * #logits(NDArray, NDArray, long, long)} and {@link #logitsAt} ask for just those; by default they
 * slice the whole logits, and the forward of a model with a separable head ({@link #of}) runs the
 * output head at those positions only, which for OPT-125m's 50,272-word head is about a third of a
 * full pass and a {@code [R, T, vocab]} array it never makes.
 */
@FunctionalInterface
public interface Forward {

  /** Logits {@code [R, T, vocab]}. */
  NDArray logits(NDArray inputIds, NDArray attentionMask);

  /**
   * Logits of positions {@code from} (inclusive) to {@code to} (exclusive) of every row, {@code [R,
   * to - from, vocab]}: the same values as that slice of {@link #logits(NDArray, NDArray)}, up to
   * the rounding of the head's product for fewer rows.
   */
  default NDArray logits(NDArray inputIds, NDArray attentionMask, long from, long to) {
    return logits(inputIds, attentionMask).get(":, " + from + ":" + to + ", :");
  }

  /**
   * Logits at one position of each row, {@code [R, vocab]}.
   *
   * @param positions int64 {@code [R]}, each in {@code [0, T)}
   */
  default NDArray logitsAt(NDArray inputIds, NDArray attentionMask, NDArray positions) {
    return HeadWhereRead.atPositions(logits(inputIds, attentionMask), positions);
  }

  /** The model's plain forward: one full pass without cache for a causal LM. */
  static Forward of(LanguageModel model) {
    if (model instanceof SeparableHeadLM) {
      SeparableHeadLM lm = (SeparableHeadLM) model;
      return new HeadWhereRead(
          lm, (ids, mask) -> lm.forwardHidden(lm.embed(ids), mask, null), lm::headLogits);
    }
    if (model instanceof SeparableHeadMaskedLM) {
      SeparableHeadMaskedLM lm = (SeparableHeadMaskedLM) model;
      return new HeadWhereRead(
          lm, (ids, mask) -> lm.forwardHidden(lm.embed(ids), ids, mask), lm::headLogits);
    }
    if (model instanceof CausalLM) {
      CausalLM causal = (CausalLM) model;
      return (ids, mask) -> causal.forward(ids, mask, null);
    }
    if (model instanceof MaskedLM) {
      return ((MaskedLM) model)::forward;
    }
    throw new IllegalArgumentException(
        "no forward for " + model.getClass().getName() + " (neither a CausalLM nor a MaskedLM)");
  }
}
