package ai.attune.iapo.rollout;

import ai.attune.models.generation.GenerationConfig;
import ai.attune.models.generation.GenerationResult;
import ai.attune.models.qwen2vl.Qwen25VlForConditionalGeneration;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * Each turn, every active rollout's whole token sequence so far becomes one row of a left-padded
 * batch, its images (the inputs plus every image a tool returned) are bound with {@code withImages}
 * and the {@link TurnSampler} generates from scratch. Works with any sampler; {@link CachedTurns}
 * gives the same tokens without feeding earlier turns again.
 */
final class RepromptTurns implements TurnEngine {
  private final Qwen25VlForConditionalGeneration model;
  private final TurnSampler sampler;
  private final long padId;

  RepromptTurns(Qwen25VlForConditionalGeneration model, TurnSampler sampler, long padId) {
    this.model = model;
    this.sampler = sampler;
    this.padId = padId;
  }

  @Override
  public GenerationResult generate(
      List<RolloutState> active, GenerationConfig config, NDManager parent) {
    try (NDManager turn = parent.newSubManager()) {
      ImageBatch batch =
          ImageBatch.of(
              active.stream().map(RolloutState::ids).toList(),
              active.stream()
                  .map(s -> s.images().stream().map(TrajectoryImage::image).toList())
                  .toList(),
              padId,
              turn);
      PrefillImageView view = new PrefillImageView(batch.bind(model), model, 0);
      return sampler.sample(view, batch.ids, batch.mask, config);
    }
  }

  @Override
  public void close() {
    // nothing is kept between turns
  }
}
