package ai.attune.core.optim;

import ai.attune.core.config.JsonConfig;

/**
 * The knobs of {@link AdamW} (Loshchilov and Hutter, 2019, "Decoupled Weight Decay
 * Regularization"), validated at construction. Build with {@link #builder} or read with {@link
 * #from}, whose JSON field names are HF {@code TrainingArguments}' (in parentheses below).
 *
 * @param lr ({@code learning_rate}) step size; > 0
 * @param beta1 ({@code adam_beta1}) decay of the first-moment average; in [0, 1); default 0.9
 * @param beta2 ({@code adam_beta2}) decay of the second-moment average; in [0, 1); default 0.999
 * @param eps ({@code adam_epsilon}) added to the bias-corrected root second moment; > 0; default
 *     1e-8
 * @param weightDecay ({@code weight_decay}) decoupled decay: each step multiplies a weight by
 *     {@code 1 - lr * weightDecay} before the Adam update; applied only to parameters whose {@link
 *     ai.attune.core.params.ParamKind#decays()} (not biases or norm gains); >= 0; default 0.01
 *     (PyTorch's AdamW, verl)
 * @param maxGradNorm ({@code max_grad_norm}) gradients are scaled by {@code maxGradNorm / (norm +
 *     1e-6)} when their global L2 norm exceeds it, as {@code torch.nn.utils.clip_grad_norm_}; 0
 *     turns clipping off; >= 0; default 1.0 (HF, verl)
 */
public record AdamWConfig(
    double lr, double beta1, double beta2, double eps, double weightDecay, double maxGradNorm) {

  public AdamWConfig {
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("learning_rate must be finite and > 0, got " + lr);
    }
    if (!(beta1 >= 0 && beta1 < 1)) {
      throw new IllegalArgumentException("adam_beta1 must be in [0, 1), got " + beta1);
    }
    if (!(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("adam_beta2 must be in [0, 1), got " + beta2);
    }
    if (!(eps > 0) || Double.isInfinite(eps)) {
      throw new IllegalArgumentException("adam_epsilon must be finite and > 0, got " + eps);
    }
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException(
          "weight_decay must be finite and >= 0, got " + weightDecay);
    }
    if (!(maxGradNorm >= 0) || Double.isInfinite(maxGradNorm)) {
      throw new IllegalArgumentException(
          "max_grad_norm must be finite and >= 0 (0 = off), got " + maxGradNorm);
    }
  }

  /** A builder with the defaults above and learning rate {@code lr}. */
  public static Builder builder(double lr) {
    return new Builder(lr);
  }

  /** Reads the fields named above; {@code learning_rate} is required. */
  public static AdamWConfig from(JsonConfig c) {
    return builder(c.requirePositiveDouble("learning_rate"))
        .optBetas(c.optDouble("adam_beta1", 0.9), c.optDouble("adam_beta2", 0.999))
        .optEps(c.optDouble("adam_epsilon", 1e-8))
        .optWeightDecay(c.optDouble("weight_decay", 0.01))
        .optMaxGradNorm(c.optDouble("max_grad_norm", 1.0))
        .build();
  }

  /** Whether gradients are clipped by their global norm. */
  public boolean clips() {
    return maxGradNorm > 0;
  }

  /** Collects the fields; {@link #build} validates. */
  public static final class Builder {
    private final double lr;
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double eps = 1e-8;
    private double weightDecay = 0.01;
    private double maxGradNorm = 1.0;

    private Builder(double lr) {
      this.lr = lr;
    }

    public Builder optBetas(double b1, double b2) {
      beta1 = b1;
      beta2 = b2;
      return this;
    }

    public Builder optEps(double v) {
      eps = v;
      return this;
    }

    public Builder optWeightDecay(double v) {
      weightDecay = v;
      return this;
    }

    /** 0 turns clipping off. */
    public Builder optMaxGradNorm(double v) {
      maxGradNorm = v;
      return this;
    }

    public AdamWConfig build() {
      return new AdamWConfig(lr, beta1, beta2, eps, weightDecay, maxGradNorm);
    }
  }
}
