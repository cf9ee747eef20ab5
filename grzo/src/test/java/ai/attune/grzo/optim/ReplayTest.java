package ai.attune.grzo.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.core.params.Parameter;
import ai.attune.grzo.estimator.EstimatorMode;
import ai.attune.grzo.estimator.GroupRelativeEstimator;
import ai.attune.grzo.replay.SeedLog;
import ai.attune.models.CausalLM;
import ai.attune.models.Models;
import ai.attune.models.adapters.LinearNoise;
import ai.attune.models.adapters.PerturbationKind;
import ai.attune.testsupport.FixturePaths;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A trained model is rebuilt exactly from its base weights and the seed log alone: the weights
 * after replaying every logged step are bitwise equal to the trained ones.
 */
@Tag("engine")
class ReplayTest {
  @TempDir Path tmp;

  static Path model(String name) {
    return FixturePaths.of(name);
  }

  @ParameterizedTest
  @CsvSource({
    "opt-tiny, grzo",
    "opt-tiny, grzo-fused",
    "opt-tiny, grzo-one",
    "opt-tiny, mezo",
    "opt-tiny, mezo-exact",
    "llama3-tiny, grzo"
  })
  void replayFromTheSeedLogGivesBitwiseEqualWeights(String modelName, String optimizer) {
    Path log = tmp.resolve("seeds.jsonl");
    Map<String, float[]> trained = train(modelName, optimizer, log, 4);
    Map<String, float[]> replayed = replay(modelName, optimizer, log);
    assertThat(replayed.keySet()).isEqualTo(trained.keySet());
    int changed = 0;
    List<String> different = new ArrayList<>();
    for (String name : trained.keySet()) {
      if (!java.util.Arrays.equals(replayed.get(name), trained.get(name))) {
        different.add(name);
      }
    }
    assertThat(different).as("parameters that differ after replay").isEmpty();
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM base = Models.load(model(modelName), ComputeDtype.FLOAT32, root)) {
      for (Parameter p : base.parameters().parameters().values()) {
        if (!java.util.Arrays.equals(p.value().toFloatArray(), trained.get(p.name()))) {
          changed++;
        }
      }
    }
    assertThat(changed).as("parameters moved by training").isGreaterThan(0);
  }

  static ZerothOrderOptimizer optimizer(String name, CausalLM model) {
    BiFunction<EstimatorMode, Boolean, GrzoConfig> grzo =
        (mode, fused) ->
            new GrzoConfig(
                1e-2,
                new GroupRelativeEstimator(mode, 0, 0),
                fused,
                EnumSet.allOf(PerturbationKind.class));
    return switch (name) {
      case "grzo" -> new GrzoOptimizer(model, grzo.apply(EstimatorMode.TWO_NORM, false));
      case "grzo-fused" -> new GrzoOptimizer(model, grzo.apply(EstimatorMode.TWO_NORM, true));
      case "grzo-one" -> new GrzoOptimizer(model, grzo.apply(EstimatorMode.ONE, false));
      case "mezo" -> new MezoOptimizer(model.parameters(), new MezoConfig(1e-2, 0.1, false));
      case "mezo-exact" ->
          new MezoOptimizer(
              model.parameters(), new MezoConfig(1e-2, 0, true), LinearNoise.GAUSSIAN);
      default -> throw new IllegalArgumentException(name);
    };
  }

  static Map<String, float[]> train(String modelName, String optimizer, Path log, int steps) {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM model = Models.load(model(modelName), ComputeDtype.FLOAT32, root);
        SeedLog seeds = SeedLog.open(log, false)) {
      ZerothOrderOptimizer opt = optimizer(optimizer, model);
      for (int step = 0; step < steps; step++) {
        LmBatchLoss loss = new LmBatchLoss(model, root, 4, 6, 100 + step);
        ZoStep r = opt.step(step, 9000L + step, 0.05, loss);
        assertThat(r.skipped()).isFalse();
        seeds.append(r);
      }
      return weights(model);
    }
  }

  static Map<String, float[]> replay(String modelName, String optimizer, Path log) {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM model = Models.load(model(modelName), ComputeDtype.FLOAT32, root)) {
      ZerothOrderOptimizer opt = optimizer(optimizer, model);
      List<ZoStep> steps = SeedLog.read(log);
      assertThat(steps).hasSize(4);
      for (ZoStep step : steps) {
        opt.replay(step);
      }
      return weights(model);
    }
  }

  static Map<String, float[]> weights(CausalLM model) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Parameter p : new ArrayList<>(model.parameters().parameters().values())) {
      out.put(p.name(), p.value().toFloatArray());
    }
    return out;
  }
}
