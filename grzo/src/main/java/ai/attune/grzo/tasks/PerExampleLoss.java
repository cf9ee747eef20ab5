package ai.attune.grzo.tasks;

import ai.attune.models.LanguageModel;
import ai.djl.ndarray.NDArray;
import java.util.function.Function;

/**
 * The function zeroth-order optimizers call: the loss of every example of a batch, float32 {@code
 * [B]} in the batch's manager (one value per example, however many option rows it has). See {@link
 * TaskLosses} for what the loss of each objective is.
 */
@FunctionalInterface
public interface PerExampleLoss {

  /** The per-example losses, float32 {@code [B]}. */
  NDArray apply(LanguageModel model, EncodedBatch batch);

  /** The task loss through the model's plain forward ({@link Forward#of}). */
  static PerExampleLoss standard() {
    return (model, batch) -> TaskLosses.perExample(batch, Forward.of(model));
  }

  /**
   * The task loss through the forward {@code forwardOf} makes for the model it is given: a
   * perturbed forward, or one that duplicates rows for a fused two-sided pass.
   */
  static PerExampleLoss withForward(Function<? super LanguageModel, ? extends Forward> forwardOf) {
    return (model, batch) -> TaskLosses.perExample(batch, forwardOf.apply(model));
  }
}
