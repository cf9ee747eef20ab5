package ai.attune.grzo.train;

import ai.attune.core.config.Mappers;
import ai.attune.core.device.Engines;
import ai.attune.core.run.AtomicFiles;
import ai.attune.core.run.ProgressLog;
import ai.attune.grzo.optim.ZerothOrderOptimizer;
import ai.attune.grzo.optim.ZoStep;
import ai.attune.grzo.replay.ModelFingerprint;
import ai.attune.grzo.replay.SeedLog;
import ai.attune.grzo.replay.SeedLogException;
import ai.attune.grzo.replay.SeedLogHeader;
import ai.attune.models.HfExport;
import ai.attune.models.LanguageModel;
import ai.attune.models.Models;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rebuilds fine-tuned weights from the base weights and a run's seed log alone: the optimizer the
 * run's config names is built over the base model exactly as the trainer built it, and each logged
 * step is re-applied in order ({@link ZerothOrderOptimizer#replay}). On the device and dtype of the
 * run the result equals the trained weights bit for bit (MeZO: with {@code
 * optimizer.exact_restore}, since otherwise the training passes' restore leaves a float rounding
 * drift that the log does not record).
 *
 * <p>Before any step is applied, the log's {@link SeedLogHeader} is compared with the replay's own
 * (device type, engine and libtorch version, dtype, seed, optimizer settings, base model
 * fingerprint): any difference is refused with a {@link SeedLogException} that names it, since the
 * replay would otherwise write weights that are not the run's.
 */
public final class SeedLogReplay {
  private SeedLogReplay() {}

  /**
   * The header a run of {@code config} on {@code model} (its base weights, before any step) on the
   * device of {@code root} writes, and a replay must match.
   */
  public static SeedLogHeader header(GrzoTrainConfig config, LanguageModel model, NDManager root) {
    return new SeedLogHeader(
        SeedLogHeader.FORMAT,
        root.getDevice().getDeviceType().toLowerCase(Locale.ROOT),
        root.getEngine().getEngineName(),
        root.getEngine().getVersion(),
        config.model().dtype(),
        config.train().seed(),
        normalized(config.toTree().get("optimizer")),
        ModelFingerprint.of(model));
  }

  /** The tree as it reads back from JSON (so int and long nodes of one value compare equal). */
  private static JsonNode normalized(JsonNode tree) {
    try {
      return Mappers.json().readTree(Mappers.json().writeValueAsString(tree));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the optimizer section does not round-trip as JSON", e);
    }
  }

  /**
   * Re-applies every step of {@code log} to {@code model}, logging progress; returns the number of
   * steps. Checks nothing: {@link #rebuild} compares the headers first.
   */
  public static int apply(LanguageModel model, OptimizerSection settings, long runSeed, Path log) {
    ZerothOrderOptimizer optimizer =
        Optimizers.build(settings, model, runSeed, log.toAbsolutePath().getParent());
    List<ZoStep> steps = SeedLog.read(log);
    ProgressLog progress = new ProgressLog("replayed step", steps.size(), Duration.ofSeconds(5));
    for (int i = 0; i < steps.size(); i++) {
      optimizer.replay(steps.get(i));
      progress.update(i + 1, Map.of("step", steps.get(i).step()));
    }
    progress.finish();
    return steps.size();
  }

  /**
   * Loads {@code base} as {@code config} says (dtype, device), checks that it and the replay's
   * settings are those {@code log}'s header recorded, replays {@code log} onto it and writes an HF
   * model folder to {@code out}; returns the number of steps replayed.
   *
   * @throws SeedLogException when the log is missing, torn, or was written for another model,
   *     device, engine, dtype, seed or optimizer setting (the message names the difference)
   */
  public static int rebuild(Path base, Path log, GrzoTrainConfig config, Path out)
      throws IOException {
    SeedLogHeader logged = SeedLog.header(log);
    SeedLog.read(log);
    try (NDManager root = Engines.newManager(config.model().device());
        LanguageModel model = Models.loadAny(base, config.model().computeDtype(), root)) {
      String mismatch = logged.mismatch(header(config, model, root));
      if (mismatch != null) {
        throw new SeedLogException("cannot replay " + log + " onto " + base + ": " + mismatch);
      }
      int n = apply(model, config.optimizer(), config.train().seed(), log);
      Map<String, String> metadata = Map.of("replayed_steps", Integer.toString(n));
      AtomicFiles.writeDirectory(out, tmp -> HfExport.write(model, base, tmp, metadata));
      return n;
    }
  }
}
