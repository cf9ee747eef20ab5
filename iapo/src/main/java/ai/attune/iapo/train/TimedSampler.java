package ai.attune.iapo.train;

import ai.attune.iapo.rollout.TurnSampler;
import ai.attune.models.CausalLM;
import ai.attune.models.generation.GenerationConfig;
import ai.attune.models.generation.GenerationResult;
import ai.djl.ndarray.NDArray;

/**
 * A {@link TurnSampler} that adds the time of each generation to the {@link Phase#GENERATION} of
 * the current {@link PhaseTimes}, so that a rollout's time splits into generation and the rest
 * (tool execution and bookkeeping).
 */
final class TimedSampler implements TurnSampler {
  private final TurnSampler inner;
  private PhaseTimes times = new PhaseTimes();

  TimedSampler(TurnSampler inner) {
    this.inner = inner;
  }

  /** Where the next generations are counted. */
  void countInto(PhaseTimes t) {
    times = t;
  }

  @Override
  public GenerationResult sample(CausalLM model, NDArray inputIds, NDArray attentionMask,
      GenerationConfig config) {
    return times.time(Phase.GENERATION,
        () -> inner.sample(model, inputIds, attentionMask, config));
  }
}
