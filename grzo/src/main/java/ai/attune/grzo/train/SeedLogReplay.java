package ai.attune.grzo.train;

import ai.attune.core.device.Engines;
import ai.attune.grzo.optim.StepResult;
import ai.attune.grzo.optim.ZerothOrderOptimizer;
import ai.attune.grzo.replay.SeedLog;
import ai.attune.models.LanguageModel;
import ai.attune.models.Models;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds fine-tuned weights from the base weights and a run's seed log alone: the optimizer the
 * run's config names is built over the base model exactly as the trainer built it, and each logged
 * step is re-applied in order ({@link ZerothOrderOptimizer#replay}). On the device and dtype of the
 * run the result equals the trained weights bit for bit (MeZO: with {@code
 * optimizer.exact_restore}, since otherwise the training passes' restore leaves a float rounding
 * drift that the log does not record).
 */
public final class SeedLogReplay {
  private SeedLogReplay() {}

  /** Re-applies every step of {@code log} to {@code model}; returns the number of steps. */
  public static int apply(LanguageModel model, OptimizerSection settings, long runSeed,
      Path log) {
    ZerothOrderOptimizer optimizer = Optimizers.build(settings, model, runSeed,
        log.toAbsolutePath().getParent());
    List<StepResult> steps = SeedLog.read(log);
    for (StepResult step : steps) {
      optimizer.replay(step);
    }
    return steps.size();
  }

  /**
   * Loads {@code base} as {@code config} says (dtype, device), replays {@code log} onto it and
   * writes an HF model folder to {@code out}; returns the number of steps replayed.
   */
  public static int rebuild(Path base, Path log, GrzoTrainConfig config, Path out)
      throws IOException {
    try (NDManager root = Engines.newManager(config.model().device());
        LanguageModel model = Models.loadAny(base, config.model().computeDtype(), root)) {
      int n = apply(model, config.optimizer(), config.train().seed(), log);
      Checkpoints.writeModel(out, model, base, Map.of("replayed_steps", Integer.toString(n)));
      return n;
    }
  }
}
