package ai.attune.core.optim;

import static ai.attune.core.config.InvalidSettingException.nonNegative;
import static ai.attune.core.config.InvalidSettingException.positive;
import static ai.attune.core.config.InvalidSettingException.unit;

import ai.attune.core.config.InvalidSettingException;
import ai.attune.core.config.Mappers;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The knobs of {@link AdamW} (Loshchilov and Hutter, 2019, "Decoupled Weight Decay
 * Regularization"), validated at construction. Built with {@link #builder}, or bound by Jackson
 * straight from a config section (IAPO's {@code optim}; snake_case keys as below, the defaults
 * those of {@link #builder}, errors {@link InvalidSettingException}s naming the key).
 *
 * @param lr step size; > 0
 * @param beta1 decay of the first-moment average; in [0, 1); default 0.9
 * @param beta2 decay of the second-moment average; in [0, 1); default 0.999
 * @param eps added to the bias-corrected root second moment; > 0; default 1e-8
 * @param weightDecay ({@code weight_decay}) decoupled decay: each step multiplies a weight by
 *     {@code 1 - lr * weightDecay} before the Adam update; applied only to parameters whose {@link
 *     ai.attune.core.params.ParamKind#decays()} (not biases or norm gains); >= 0; default 0.01
 *     (PyTorch's AdamW, verl)
 * @param maxGradNorm ({@code max_grad_norm}) gradients are scaled by {@code maxGradNorm / (norm +
 *     1e-6)} when their global L2 norm exceeds it, as {@code torch.nn.utils.clip_grad_norm_}; 0
 *     turns clipping off; >= 0; default 1.0 (HF, verl)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AdamWConfig(
    double lr, double beta1, double beta2, double eps, double weightDecay, double maxGradNorm) {

  public AdamWConfig {
    positive(lr, "lr");
    unit(beta1, "beta1");
    unit(beta2, "beta2");
    positive(eps, "eps");
    nonNegative(weightDecay, "weight_decay");
    nonNegative(maxGradNorm, "max_grad_norm");
  }

  /** A builder with the defaults above and learning rate {@code lr}. */
  public static Builder builder(double lr) {
    return new Builder(lr);
  }

  /**
   * The defaults of every setting but {@code lr}, as a tree of snake_case keys: what a config
   * section bound to this record lays the file's values over.
   */
  public static ObjectNode defaults() {
    ObjectNode tree = Mappers.json().valueToTree(builder(1).build());
    tree.remove("lr");
    return tree;
  }

  /** A copy with another learning rate. */
  public AdamWConfig withLr(double newLr) {
    return new AdamWConfig(newLr, beta1, beta2, eps, weightDecay, maxGradNorm);
  }

  /** Whether gradients are clipped by their global norm. */
  @JsonIgnore
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
