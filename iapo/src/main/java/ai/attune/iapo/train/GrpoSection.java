package ai.attune.iapo.train;

import static ai.attune.core.config.InvalidSettingException.nonNegative;
import static ai.attune.core.config.InvalidSettingException.positive;
import static ai.attune.core.config.InvalidSettingException.require;

import ai.attune.core.config.ConfigYaml;
import ai.attune.iapo.grpo.GrpoLossConfig;
import ai.attune.iapo.grpo.LossType;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code grpo}: the policy loss (iapo.md §2 steps 6–7).
 *
 * @param lossType {@code grpo}, {@code dr_grpo} or {@code dapo} (default, verl's token mean)
 * @param epsilon lower clip range of the ratio; in (0, 1); default 0.2
 * @param epsilonHigh upper clip range; absent = epsilon (DAPO's clip-higher uses 0.28)
 * @param beta weight of the k3 KL to the frozen {@code reference}; default 0 (no reference)
 * @param scaleRewards divide advantages by the group's reward std (GRPO); false = Dr. GRPO; default
 *     true
 * @param updatesPerBatch μ, optimizer steps on each batch of rollouts; default 1 (the first uses
 *     ratio 1 exactly; later ones compare with the sampling log-probabilities)
 * @param advantageEpsilon added to the std before dividing; default 1e-6
 * @param microBatchSize rollouts per forward/backward pass of the policy update; their gradients
 *     accumulate into one optimizer step equal to a pass over the whole batch; the activation
 *     memory of the update grows with this, not with prompts × G; 0 (default) = the whole batch in
 *     one pass
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GrpoSection(
    LossType lossType,
    double epsilon,
    Double epsilonHigh,
    double beta,
    boolean scaleRewards,
    int updatesPerBatch,
    double advantageEpsilon,
    int microBatchSize) {
  public GrpoSection {
    require(lossType != null, "grpo.loss_type", "expected one of grpo, dr_grpo, dapo");
    require(epsilon > 0 && epsilon < 1, "grpo.epsilon", "must be in (0, 1), got " + epsilon);
    require(
        epsilonHigh == null || (epsilonHigh >= epsilon && Double.isFinite(epsilonHigh)),
        "grpo.epsilon_high",
        "must be finite and >= epsilon (" + epsilon + "), got " + epsilonHigh);
    nonNegative(beta, "grpo.beta");
    positive(updatesPerBatch, "grpo.updates_per_batch");
    nonNegative(advantageEpsilon, "grpo.advantage_epsilon");
    nonNegative(microBatchSize, "grpo.micro_batch_size");
  }

  /** The loss settings; {@code maxCompletionLength} is dr_grpo's constant. */
  /**
   * The defaults of the loss settings, taken from {@link GrpoLossConfig#builder} so that each has
   * one default: {@code loss_type}, {@code epsilon}, {@code beta}, {@code scale_rewards} and {@code
   * advantage_epsilon} ({@code epsilon_high: null} means {@code epsilon}).
   */
  static ObjectNode domainDefaults() {
    GrpoLossConfig d = GrpoLossConfig.builder(1).build();
    ObjectNode o = ConfigYaml.MAPPER.createObjectNode();
    o.set("loss_type", ConfigYaml.MAPPER.valueToTree(d.lossType()));
    o.put("epsilon", d.epsilonLow());
    o.put("beta", d.beta());
    o.put("scale_rewards", d.scaleRewards());
    o.put("advantage_epsilon", d.advantageEpsilon());
    return o;
  }

  public GrpoLossConfig toConfig(int maxCompletionLength) {
    return GrpoLossConfig.builder(maxCompletionLength)
        .optLossType(lossType)
        .optEpsilon(epsilon)
        .optEpsilonHigh(epsilonHigh == null ? epsilon : epsilonHigh)
        .optBeta(beta)
        .optScaleRewards(scaleRewards)
        .optAdvantageEpsilon(advantageEpsilon)
        .build();
  }
}
