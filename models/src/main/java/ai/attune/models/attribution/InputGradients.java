package ai.attune.models.attribution;

import ai.attune.models.CausalLM;
import ai.attune.models.HiddenStateLM;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;

/**
 * Gradients of an {@link AttributionTarget} with respect to a model's input embeddings, and the two
 * attributions built on them: gradient×input and integrated gradients.
 *
 * <p>Uses DJL's process-global {@link GradientCollector}: only one attribution may run at a time in
 * a process (a second collector opened meanwhile fails). Parameters are not differentiated unless
 * they require a gradient themselves (only the embeddings are made to), so a frozen model serves as
 * well as a trained one; a parameter that does require one accumulates this backward's gradient, so
 * a trainer switches that off while it attributes. Results belong to the embeddings' manager.
 */
public final class InputGradients {
  private InputGradients() {}

  /**
   * The gradient of a target and the target's value per row.
   *
   * @param gradient d target / d embeddings, float32 {@code [B, T, D]}
   * @param targetValues the target of each row at the given embeddings
   */
  public record TargetGradient(NDArray gradient, float[] targetValues) {}

  /**
   * Integrated gradients of one sequence and the target's value at the input.
   *
   * @param scores float32 {@code [T]}: one score per token, summed over the hidden axis
   * @param targetAtInput the target at the input itself (the path's end, α = 1)
   */
  public record PathAttribution(NDArray scores, float targetAtInput) {}

  /**
   * d target / d embeddings, float32 {@code [B, T, D]}.
   *
   * @param embeds input embeddings {@code [B, T, D]} (not modified)
   * @param attentionMask int64 {@code [B, T]}
   */
  public static NDArray gradient(
      CausalLM model, NDArray embeds, NDArray attentionMask, AttributionTarget target) {
    return gradientWithValues(model, embeds, attentionMask, target).gradient();
  }

  /** {@link #gradient} and the target's value per row, from the same forward pass. */
  public static TargetGradient gradientWithValues(
      CausalLM model, NDArray embeds, NDArray attentionMask, AttributionTarget target) {
    NDManager m = embeds.getManager();
    NDArray x = embeds.duplicate();
    x.setRequiresGradient(true);
    float[] values;
    // x is fresh, so nothing needs zeroing (the collector's zeroGradients would walk every array
    // of the process and leave a gradient handle per parameter that requires gradients)
    try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
      NDArray logits = model.forwardEmbeddings(x, attentionMask, null);
      NDArray perRow = target.perRow(logits);
      values = perRow.stopGradient().toFloatArray();
      collector.backward(perRow.sum());
    }
    NDArray grad = x.getGradient().toType(DataType.FLOAT32, true);
    grad.attach(m);
    return new TargetGradient(grad, values);
  }

  /**
   * {@link #gradientWithValues}, with {@code recompute} through {@link
   * HiddenStateLM#backwardRecomputing} (the model must be a {@link HiddenStateLM}): the same
   * gradient, with one decoder layer's activations alive at a time.
   */
  public static TargetGradient gradientWithValues(
      CausalLM model,
      NDArray embeds,
      NDArray attentionMask,
      AttributionTarget target,
      boolean recompute) {
    if (!recompute) {
      return gradientWithValues(model, embeds, attentionMask, target);
    }
    if (!(model instanceof HiddenStateLM lm)) {
      throw new IllegalArgumentException(
          "activation recomputation needs a HiddenStateLM, got " + model.info().modelType());
    }
    float[][] values = new float[1][];
    NDArray g =
        lm.backwardRecomputing(
            embeds,
            attentionMask,
            hidden -> {
              NDArray perRow = target.perRow(lm.headLogits(hidden));
              values[0] = perRow.stopGradient().toFloatArray();
              return perRow.sum();
            });
    NDArray grad = g.toType(DataType.FLOAT32, true);
    grad.attach(embeds.getManager());
    g.close();
    return new TargetGradient(grad, values[0]);
  }

  /** Σ over the hidden axis of gradient·embedding per token: float32 {@code [B, T]}. */
  public static NDArray gradientTimesInput(
      CausalLM model, NDArray embeds, NDArray attentionMask, AttributionTarget target) {
    NDArray grad = gradient(model, embeds, attentionMask, target);
    return grad.mul(embeds.toType(DataType.FLOAT32, false)).sum(new int[] {2});
  }

  /**
   * Integrated gradients per token, summed over the hidden axis: {@code Σ_d (x - x') · mean_k ∇(x'
   * + α_k (x - x'))} with the right Riemann rule α_k = k/steps, k = 1..steps. All steps of one row
   * run as one batch of {@code steps} rows.
   *
   * @param embeds input embeddings of one sequence {@code [1, T, D]}
   * @param baseline the reference input x' {@code [1, T, D]}, or null for zeros
   * @return float32 {@code [T]}
   */
  public static NDArray integratedGradients(
      CausalLM model,
      NDArray embeds,
      NDArray baseline,
      NDArray attentionMask,
      AttributionTarget target,
      int steps) {
    return integratedGradientsWithTarget(
            model, embeds, baseline, attentionMask, target, steps, steps)
        .scores();
  }

  /**
   * {@link #integratedGradients} run as passes of at most {@code stepsPerPass} interpolated inputs
   * each (bounding the activations one pass holds), with the target at the input. Each pass's
   * arrays live in a sub-manager closed when the pass ends; with {@code stepsPerPass == steps} it
   * is one pass, as {@link #integratedGradients} runs.
   */
  public static PathAttribution integratedGradientsWithTarget(
      CausalLM model,
      NDArray embeds,
      NDArray baseline,
      NDArray attentionMask,
      AttributionTarget target,
      int steps,
      int stepsPerPass) {
    return integratedGradientsWithTarget(
        model, embeds, baseline, attentionMask, target, steps, stepsPerPass, false);
  }

  /**
   * {@link #integratedGradientsWithTarget(CausalLM, NDArray, NDArray, NDArray, AttributionTarget,
   * int, int)}, each pass's backward with per-layer recomputation when {@code recompute} (see
   * {@link #gradientWithValues(CausalLM, NDArray, NDArray, AttributionTarget, boolean)}).
   */
  public static PathAttribution integratedGradientsWithTarget(
      CausalLM model,
      NDArray embeds,
      NDArray baseline,
      NDArray attentionMask,
      AttributionTarget target,
      int steps,
      int stepsPerPass,
      boolean recompute) {
    if (embeds.getShape().get(0) != 1) {
      throw new IllegalArgumentException(
          "integrated gradients take one sequence [1, T, D], got " + embeds.getShape());
    }
    if (steps < 1 || stepsPerPass < 1) {
      throw new IllegalArgumentException(
          "steps and stepsPerPass must be at least 1, got " + steps + " and " + stepsPerPass);
    }
    NDManager m = embeds.getManager();
    NDArray x = embeds.toType(DataType.FLOAT32, false);
    NDArray x0 = baseline == null ? x.zerosLike() : baseline.toType(DataType.FLOAT32, false);
    NDArray delta = x.sub(x0);
    NDArray gradSum = null;
    float atInput = Float.NaN;
    for (int first = 1; first <= steps; first += stepsPerPass) {
      int last = Math.min(steps, first + stepsPerPass - 1);
      try (NDManager pass = m.newSubManager()) {
        NDArray alphas =
            pass.arange(first, last + 1, 1, DataType.FLOAT32)
                .div(steps)
                .reshape(last - first + 1, 1, 1);
        NDArray path = alphas.mul(delta).add(x0).toType(embeds.getDataType(), false);
        NDArray masks = attentionMask.repeat(0, last - first + 1);
        masks.attach(pass);
        TargetGradient g = gradientWithValues(model, path, masks, target, recompute); // [S,T,D]
        NDArray passSum = g.gradient().sum(new int[] {0});
        if (gradSum == null) {
          passSum.attach(m);
          gradSum = passSum;
        } else {
          NDArray next = gradSum.add(passSum); // in m: gradSum is the first operand
          gradSum.close();
          gradSum = next;
        }
        atInput = g.targetValues()[g.targetValues().length - 1];
      }
    }
    NDArray scores = gradSum.div(steps).mul(delta.squeeze(0)).sum(new int[] {1});
    return new PathAttribution(scores, atInput);
  }
}
