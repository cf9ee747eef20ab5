package ai.attune.iapo.train;

import static ai.attune.core.config.InvalidSettingException.nonNegative;
import static ai.attune.core.config.InvalidSettingException.positive;
import static ai.attune.core.config.InvalidSettingException.unit;

import ai.attune.core.optim.AdamWConfig;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * {@code optim}: AdamW (decoupled weight decay) with global-norm gradient clipping.
 *
 * @param lr learning rate; > 0. Required.
 * @param beta1 first-moment decay; default 0.9
 * @param beta2 second-moment decay; default 0.999
 * @param eps denominator epsilon; default 1e-8
 * @param weightDecay decoupled decay of weight matrices (not biases or norms); default 0.01
 * @param maxGradNorm clip the global gradient norm to this; 0 = off; default 1.0
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OptimSection(
    double lr, double beta1, double beta2, double eps, double weightDecay, double maxGradNorm) {
  public OptimSection {
    positive(lr, "optim.lr");
    unit(beta1, "optim.beta1");
    unit(beta2, "optim.beta2");
    positive(eps, "optim.eps");
    nonNegative(weightDecay, "optim.weight_decay");
    nonNegative(maxGradNorm, "optim.max_grad_norm");
  }

  public AdamWConfig toConfig() {
    return AdamWConfig.builder(lr)
        .optBetas(beta1, beta2)
        .optEps(eps)
        .optWeightDecay(weightDecay)
        .optMaxGradNorm(maxGradNorm)
        .build();
  }
}
