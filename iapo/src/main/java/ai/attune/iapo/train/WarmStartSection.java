package ai.attune.iapo.train;

import static ai.attune.core.config.InvalidSettingException.nonNegative;
import static ai.attune.core.config.InvalidSettingException.positive;

import ai.attune.core.config.InvalidSettingException;
import ai.attune.iapo.warmstart.WarmStartConfig.Schedule;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * {@code train.warm_start}: supervised steps on tool-use demonstrations built from the training
 * questions ({@code ai.attune.iapo.warmstart}) before the first IAPO step, so that a model that
 * never wrote a tool call starts calling tools. Runs only in a fresh run (a resumed run's weights
 * already include it).
 *
 * @param steps optimizer steps; >= 1. Required when the section is given.
 * @param batchSize demonstrations per step; default 4
 * @param lr its own AdamW learning rate (other AdamW settings from {@code optim}); default 1e-3
 * @param maxExamples demonstrations built from at most this many training questions; 0 (default) =
 *     all
 * @param schedule learning-rate schedule: {@code linear} decay to 0 (default, HF's) or {@code
 *     constant}
 * @param warmupSteps steps over which the learning rate first rises from 0; default 0
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record WarmStartSection(
    int steps, int batchSize, double lr, int maxExamples, Schedule schedule, int warmupSteps) {
  public WarmStartSection {
    positive(steps, "train.warm_start.steps");
    positive(batchSize, "train.warm_start.batch_size");
    positive(lr, "train.warm_start.lr");
    nonNegative(maxExamples, "train.warm_start.max_examples");
    InvalidSettingException.require(
        schedule != null, "train.warm_start.schedule", "expected linear or constant");
    InvalidSettingException.require(
        warmupSteps >= 0 && warmupSteps < steps,
        "train.warm_start.warmup_steps",
        "must be in [0, steps = " + steps + "), got " + warmupSteps);
  }
}
