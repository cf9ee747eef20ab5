package ai.attune.iapo.train;

import static ai.attune.core.config.InvalidSettingException.nonNegative;
import static ai.attune.core.config.InvalidSettingException.positive;
import static ai.attune.core.config.InvalidSettingException.require;

import ai.attune.iapo.grpo.GrpoLossConfig;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * {@code grpo}: the policy update (iapo.md §2 steps 6–7). The loss settings ({@code loss_type},
 * {@code epsilon}, {@code epsilon_high}, {@code beta}, {@code scale_rewards}, {@code
 * advantage_epsilon}) are those of {@link GrpoLossConfig}, bound flat into this section with their
 * defaults and help text; the others say how the update runs.
 *
 * @param updatesPerBatch μ, optimizer steps on each batch of rollouts; >= 1; default 1 (the first
 *     uses ratio 1 exactly; later ones compare with the sampling log-probabilities)
 * @param microBatchSize rollouts per forward/backward pass of the policy update; their gradients
 *     accumulate into one optimizer step equal to a pass over the whole batch; the activation
 *     memory of the update grows with this, not with prompts × G; 0 (default) = the whole batch in
 *     one pass
 * @param loss the loss settings
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GrpoSection(
    int updatesPerBatch, int microBatchSize, @JsonUnwrapped GrpoLossConfig loss) {
  public GrpoSection {
    positive(updatesPerBatch, "grpo.updates_per_batch");
    nonNegative(microBatchSize, "grpo.micro_batch_size");
    require(loss != null, "grpo", "the loss settings are missing");
  }
}
