package ai.attune.grzo.variants;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.grzo.estimator.GroupRelativeEstimator;
import ai.attune.grzo.optim.GrzoConfig;
import ai.attune.grzo.optim.GrzoOptimizer;
import ai.attune.grzo.optim.MezoConfig;
import ai.attune.grzo.optim.MezoOptimizer;
import ai.attune.grzo.optim.VariantTestSupport;
import ai.attune.grzo.optim.ZerothOrderOptimizer;
import ai.attune.grzo.optim.ZoStep;
import ai.attune.models.CausalLM;
import ai.attune.models.Models;
import ai.attune.models.adapters.LinearNoise;
import ai.attune.models.adapters.PerturbationKind;
import ai.attune.models.layers.Linear;
import ai.attune.testsupport.FixturePaths;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The drop-in variants (grzo.md §3): their directions, and both cores replay exactly. */
@Tag("engine")
class VariantsTest {
  static final Path OPT = FixturePaths.of("opt-tiny");

  static LinearNoise noise(String variant, CausalLM model, boolean mezo) {
    return switch (variant) {
      case "sparse" -> new SparseNoise(model.parameters(), 0.25, mezo);
      case "lowrank" -> new LowRankNoise(8, 2, 5, true);
      case "quantized" -> new QuantizedNoise(4);
      default -> throw new IllegalArgumentException(variant);
    };
  }

  static ZerothOrderOptimizer optimizer(String core, LinearNoise noise, CausalLM model) {
    if (core.equals("mezo")) {
      return new MezoOptimizer(model.parameters(), new MezoConfig(1e-2, 0, false), noise);
    }
    return new GrzoOptimizer(
        model,
        new GrzoConfig(
            1e-2,
            GroupRelativeEstimator.paperDefault(),
            false,
            EnumSet.of(PerturbationKind.LINEAR)),
        noise);
  }

  @ParameterizedTest
  @CsvSource({
    "sparse, mezo",
    "sparse, grzo",
    "lowrank, mezo",
    "lowrank, grzo",
    "quantized, mezo",
    "quantized, grzo"
  })
  void eachVariantReplaysExactlyWithBothCores(String variant, String core) {
    List<ZoStep> log = new ArrayList<>();
    float[][] trained;
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM model = Models.load(OPT, ComputeDtype.FLOAT32, root)) {
      ZerothOrderOptimizer opt = optimizer(core, noise(variant, model, core.equals("mezo")), model);
      assertThat(opt.name()).isEqualTo(variant.replace("quantized", "quantized4") + "-" + core);
      for (int step = 0; step < 5; step++) {
        ZoStep r =
            opt.step(step, 700L + step, 0.05, VariantTestSupport.lmBatch(model, root, 4, 6, step));
        assertThat(r.skipped()).isFalse();
        log.add(r);
      }
      trained = weights(model);
    }
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM model = Models.load(OPT, ComputeDtype.FLOAT32, root)) {
      float[][] base = weights(model);
      ZerothOrderOptimizer opt = optimizer(core, noise(variant, model, core.equals("mezo")), model);
      for (ZoStep r : log) {
        opt.replay(r);
      }
      float[][] replayed = weights(model);
      int differ = 0;
      int moved = 0;
      for (int k = 0; k < trained.length; k++) {
        differ += Arrays.equals(trained[k], replayed[k]) ? 0 : 1;
        moved += Arrays.equals(trained[k], base[k]) ? 0 : 1;
      }
      assertThat(differ).as("parameters differing after replay").isZero();
      assertThat(moved).as("parameters moved by training").isPositive();
    }
  }

  @Test
  void sparseGrzoUpdatesOnlyTheSmallestQuarterOfEachWeight() {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM model = Models.load(OPT, ComputeDtype.FLOAT32, root)) {
      Linear fc1 =
          model.parameters().modules(Linear.class).stream()
              .filter(l -> l.name().endsWith("layers.0.fc1"))
              .findFirst()
              .orElseThrow();
      float[] before = fc1.weight().value().toFloatArray();
      SparseNoise noise = new SparseNoise(model.parameters(), 0.25, false);
      optimizer("grzo", noise, model)
          .step(0, 1, 0.05, VariantTestSupport.lmBatch(model, root, 4, 6, 0));
      float[] after = fc1.weight().value().toFloatArray();
      float[] sorted = before.clone();
      for (int i = 0; i < sorted.length; i++) {
        sorted[i] = Math.abs(sorted[i]);
      }
      Arrays.sort(sorted);
      float threshold = sorted[sorted.length / 4 - 1];
      int changed = 0;
      for (int i = 0; i < before.length; i++) {
        if (before[i] != after[i]) {
          changed++;
          assertThat(Math.abs(before[i])).isLessThanOrEqualTo(threshold);
        }
      }
      assertThat((double) changed / before.length).isBetween(0.2, 0.25);
    }
  }

  @Test
  void lowRankDirectionsShareVWithinAPeriodAndAreRankR() {
    try (NDManager m = Engines.newManager(DevicePolicy.CPU)) {
      LowRankNoise noise = new LowRankNoise(2, 3, 11, true);
      NDArray w = m.zeros(new ai.djl.ndarray.types.Shape(5, 4));
      noise.beginStep(0);
      float[] a = noise.direction("l", w, m, 100, LinearNoise.Use.FORWARD, null).toFloatArray();
      noise.beginStep(2);
      float[] b = noise.direction("l", w, m, 200, LinearNoise.Use.FORWARD, null).toFloatArray();
      noise.beginStep(3);
      float[] c = noise.direction("l", w, m, 200, LinearNoise.Use.FORWARD, null).toFloatArray();
      // rows of a and b lie in the same 2-D row space span(vᵀ) (steps 0 and 2 share v);
      // stacking them keeps rank 2, while c (new period, same u seed) does not share it
      assertThat(VariantTestSupport.rank(concat(a, b), 10, 4)).isEqualTo(2);
      assertThat(VariantTestSupport.rank(concat(b, c), 10, 4)).isEqualTo(4);
      assertThat(VariantTestSupport.rank(a, 5, 4)).isEqualTo(2);
      assertThat(noise.unitInputSigns()).isTrue();
    }
  }

  @Test
  void quantizedDirectionsLieOnTheGridAndRoundWithoutBias() {
    try (NDManager m = Engines.newManager(DevicePolicy.CPU)) {
      QuantizedNoise noise = new QuantizedNoise(4);
      NDArray w = m.zeros(new ai.djl.ndarray.types.Shape(64, 64));
      NDArray base =
          ai.attune.core.noise.SeededNoise.gaussian(m, 3, w.getShape(), DataType.FLOAT32);
      float max = base.abs().max().getFloat();
      float step = max / 7;
      NDArray fwd = noise.direction("l", w, m, 9, LinearNoise.Use.FORWARD, base::duplicate);
      NDArray upd = noise.direction("l", w, m, 9, LinearNoise.Use.UPDATE, base::duplicate);
      for (float v : fwd.toFloatArray()) {
        double level = v / step;
        assertThat(Math.abs(level - Math.rint(level))).isLessThan(1e-3);
        assertThat(Math.abs(level)).isLessThanOrEqualTo(7.0001);
      }
      assertThat(fwd.toFloatArray()).isNotEqualTo(upd.toFloatArray());
      // unbiased: the rounding error averages out
      double meanError = fwd.sub(base).mean().getFloat();
      assertThat(Math.abs(meanError)).isLessThan(0.02 * step);
    }
  }

  static float[] concat(float[] a, float[] b) {
    float[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static float[][] weights(CausalLM model) {
    return model.parameters().parameters().values().stream()
        .map(p -> p.value().toFloatArray())
        .toArray(float[][]::new);
  }
}
