package ai.attune.models.attribution;

import ai.attune.models.CausalLM;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;

/**
 * Gradients of an {@link AttributionTarget} with respect to a model's input embeddings, and the
 * two attributions built on them: gradient×input and integrated gradients.
 *
 * <p>Uses DJL's process-global {@link GradientCollector}: only one attribution may run at a time
 * in a process. Parameters are not differentiated (only the embeddings require a gradient), so
 * a frozen model serves as well as a trained one. Results belong to the embeddings' manager.
 */
public final class InputGradients {
  private InputGradients() {}

  /**
   * d target / d embeddings, float32 {@code [B, T, D]}.
   *
   * @param embeds input embeddings {@code [B, T, D]} (not modified)
   * @param attentionMask int64 {@code [B, T]}
   */
  public static NDArray gradient(CausalLM model, NDArray embeds, NDArray attentionMask,
      AttributionTarget target) {
    NDManager m = embeds.getManager();
    NDArray x = embeds.duplicate();
    x.setRequiresGradient(true);
    try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
      collector.zeroGradients();
      NDArray logits = model.forwardEmbeddings(x, attentionMask, null);
      collector.backward(target.perRow(logits).sum());
    }
    NDArray grad = x.getGradient().toType(DataType.FLOAT32, true);
    grad.attach(m);
    return grad;
  }

  /** Σ over the hidden axis of gradient·embedding per token: float32 {@code [B, T]}. */
  public static NDArray gradientTimesInput(CausalLM model, NDArray embeds,
      NDArray attentionMask, AttributionTarget target) {
    NDArray grad = gradient(model, embeds, attentionMask, target);
    return grad.mul(embeds.toType(DataType.FLOAT32, false)).sum(new int[] {2});
  }

  /**
   * Integrated gradients per token, summed over the hidden axis: {@code Σ_d (x - x') ·
   * mean_k ∇(x' + α_k (x - x'))} with the right Riemann rule α_k = k/steps, k = 1..steps. All
   * steps of one row run as one batch of {@code steps} rows.
   *
   * @param embeds input embeddings of one sequence {@code [1, T, D]}
   * @param baseline the reference input x' {@code [1, T, D]}, or null for zeros
   * @return float32 {@code [T]}
   */
  public static NDArray integratedGradients(CausalLM model, NDArray embeds, NDArray baseline,
      NDArray attentionMask, AttributionTarget target, int steps) {
    if (embeds.getShape().get(0) != 1) {
      throw new IllegalArgumentException("integrated gradients take one sequence [1, T, D], got "
          + embeds.getShape());
    }
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be at least 1, got " + steps);
    }
    NDManager m = embeds.getManager();
    NDArray x = embeds.toType(DataType.FLOAT32, false);
    NDArray x0 = baseline == null ? x.zerosLike() : baseline.toType(DataType.FLOAT32, false);
    NDArray delta = x.sub(x0);
    NDArray alphas = m.arange(1, steps + 1, 1, DataType.FLOAT32).div(steps).reshape(steps, 1, 1);
    NDArray path = delta.mul(alphas).add(x0).toType(embeds.getDataType(), false); // [S, T, D]
    NDArray masks = attentionMask.repeat(0, steps);
    NDArray grads = gradient(model, path, masks, target); // [S, T, D]
    return grads.mean(new int[] {0}).mul(delta.squeeze(0)).sum(new int[] {1});
  }
}
