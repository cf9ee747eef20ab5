package ai.attune.grzo.tasks;

import ai.attune.models.CausalLM;
import ai.attune.models.LanguageModel;
import ai.attune.models.MaskedLM;
import ai.djl.ndarray.NDArray;

/**
 * A model's forward pass as a plain function from int64 ids and attention mask {@code [R, T]} to
 * float32 logits {@code [R, T, vocab]} in the manager of the ids. Optimizers pass their own (a
 * forward with a perturbation active) to {@link PerExampleLoss#withForward}.
 */
@FunctionalInterface
public interface Forward {

  /** Logits {@code [R, T, vocab]}. */
  NDArray logits(NDArray inputIds, NDArray attentionMask);

  /** The model's plain forward: one full pass without cache for a causal LM. */
  static Forward of(LanguageModel model) {
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
