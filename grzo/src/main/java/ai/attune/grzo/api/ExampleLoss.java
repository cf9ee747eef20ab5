package ai.attune.grzo.api;

import ai.attune.models.LanguageModel;
import ai.djl.ndarray.NDArray;

/**
 * The user's per-example loss: one number per example of a batch, lower is better. Zeroth-order
 * optimizers only ever evaluate it (no gradients), so any function of the model's outputs works,
 * differentiable or not.
 *
 * <p>Lifecycle: a plain function, called once per forward pass the optimizer needs (MeZO: two per
 * step; GRZO: one or two, or one over two stacked copies of the batch) and once per evaluation
 * batch. It must compute the loss of row {@code i} from row {@code i} of {@link
 * ExampleBatch#inputIds()} alone, through {@code model}'s forward ({@link ExampleBatch#logits}):
 * GRZO perturbs every row with its own direction while the model runs. Every array it makes lives
 * in {@link ExampleBatch#manager()} and is freed after the pass.
 *
 * @param <E> the type of the user's examples
 */
@FunctionalInterface
public interface ExampleLoss<E> {

  /**
   * The losses of the batch's rows: a 1-D array of {@link ExampleBatch#size()} numbers (float32 or
   * float64), finite for a usable step (a non-finite loss stops the run, or skips the step as
   * {@code optNanPolicy} says).
   */
  NDArray apply(LanguageModel model, ExampleBatch<E> batch);
}
