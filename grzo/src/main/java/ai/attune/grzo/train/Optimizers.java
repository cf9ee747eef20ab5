package ai.attune.grzo.train;

import ai.attune.core.config.Mappers;
import ai.attune.core.run.AtomicFiles;
import ai.attune.grzo.optim.GrzoOptimizer;
import ai.attune.grzo.optim.MezoOptimizer;
import ai.attune.grzo.optim.ZerothOrderOptimizer;
import ai.attune.grzo.variants.LowRankNoise;
import ai.attune.grzo.variants.QuantizedNoise;
import ai.attune.grzo.variants.SparseNoise;
import ai.attune.models.LanguageModel;
import ai.attune.models.adapters.LinearNoise;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Builds the optimizer an {@link OptimizerSection} names over a model's parameters. */
public final class Optimizers {
  /** The file beside a run's seed log holding the sparse variant's magnitude thresholds. */
  public static final String SPARSE_THRESHOLDS = "sparse_thresholds.json";

  private Optimizers() {}

  /**
   * The optimizer of {@code settings} over {@code model}'s trainable parameters; training and
   * {@code grzo replay} both build it here, so they perturb and update the same parameters in the
   * same order.
   *
   * @param runSeed the run's seed (the low-rank variant draws v from it)
   * @param runDir the run's folder: the sparse variant keeps its thresholds there, computed from
   *     the weights the first time and read back after that (on resume and replay)
   */
  public static ZerothOrderOptimizer build(
      OptimizerSection settings, LanguageModel model, long runSeed, Path runDir) {
    boolean mezo = settings.name() == OptimizerName.MEZO;
    LinearNoise noise = noise(settings.variant(), model, runSeed, runDir, mezo);
    switch (settings.name()) {
      case MEZO:
        return new MezoOptimizer(model.parameters(), settings.mezo(), noise);
      case GRZO:
        return new GrzoOptimizer(model, settings.grzo(), noise);
      default:
        throw new IllegalArgumentException("no optimizer " + settings.name());
    }
  }

  private static LinearNoise noise(
      VariantSection v, LanguageModel model, long runSeed, Path runDir, boolean mezo) {
    switch (v.name()) {
      case "sparse":
        return sparse(v, model, runDir, mezo);
      case "lowrank":
        return new LowRankNoise(v.rank(), v.period(), runSeed, v.strict());
      case "quantized":
        return new QuantizedNoise(v.bits());
      default:
        return LinearNoise.GAUSSIAN;
    }
  }

  private static SparseNoise sparse(
      VariantSection v, LanguageModel model, Path runDir, boolean mezo) {
    Path file = runDir == null ? null : runDir.resolve(SPARSE_THRESHOLDS);
    try {
      if (file != null && Files.exists(file)) {
        Map<String, Float> saved =
            Mappers.json().readValue(file.toFile(), new TypeReference<Map<String, Float>>() {});
        return new SparseNoise(model.parameters(), saved, mezo);
      }
      SparseNoise noise = new SparseNoise(model.parameters(), v.keep(), mezo);
      if (file != null) {
        AtomicFiles.write(file, Mappers.json().writeValueAsBytes(noise.thresholds()));
      }
      return noise;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write " + file, e);
    }
  }
}
