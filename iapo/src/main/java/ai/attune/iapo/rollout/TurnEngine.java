package ai.attune.iapo.rollout;

import ai.attune.models.generation.GenerationConfig;
import ai.attune.models.generation.GenerationResult;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * How the rollouts of one {@link RolloutRunner#runAll} call get each turn generated: all active
 * rollouts (of every question) as the rows of one batch. {@link RepromptTurns} feeds every row's
 * whole sequence again each turn (any {@link TurnSampler}); {@link CachedTurns} keeps one KV cache
 * across the turns and feeds only what each row appended since.
 *
 * <p>Lifecycle: one engine per {@code runAll} call, closed at its end (which frees a kept cache).
 */
interface TurnEngine extends AutoCloseable {

  /**
   * Generates the next assistant turn of every rollout in {@code active}, in order, before any of
   * them takes it.
   *
   * @param config the turn's limits and sampling, with one row seed per active rollout
   */
  GenerationResult generate(List<RolloutState> active, GenerationConfig config, NDManager parent);

  @Override
  void close();
}
