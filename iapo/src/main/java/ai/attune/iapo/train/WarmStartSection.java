package ai.attune.iapo.train;

import static ai.attune.iapo.train.InvalidSettingException.nonNegative;
import static ai.attune.iapo.train.InvalidSettingException.positive;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * {@code train.warm_start}: supervised steps on tool-use demonstrations built from the training
 * questions ({@code ai.attune.iapo.warmstart}) before the first IAPO step, so that a model that
 * never wrote a tool call starts calling tools. Runs only in a fresh run (a resumed run's
 * weights already include it).
 *
 * @param steps optimizer steps; >= 1. Required when the section is given.
 * @param batchSize demonstrations per step; default 4
 * @param lr its own AdamW learning rate (other AdamW settings from {@code optim}); default 1e-3
 * @param maxExamples demonstrations built from at most this many training questions; 0
 *     (default) = all
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record WarmStartSection(int steps, int batchSize, double lr, int maxExamples) {
  public WarmStartSection {
    positive(steps, "train.warm_start.steps");
    positive(batchSize, "train.warm_start.batch_size");
    positive(lr, "train.warm_start.lr");
    nonNegative(maxExamples, "train.warm_start.max_examples");
  }
}
