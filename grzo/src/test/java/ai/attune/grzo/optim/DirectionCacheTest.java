package ai.attune.grzo.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.grzo.variants.QuantizedNoise;
import ai.attune.models.CausalLM;
import ai.attune.models.Models;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code cache_directions} draws each linear layer's U once a step instead of once per pass and
 * once more for the update, and changes no value: the losses and every weight after training are
 * bit for bit those of the uncached step, with two passes and fused.
 */
@Tag("e2e")
class DirectionCacheTest {

  @Test
  void cachedDirectionsGiveTheSameLossesAndWeightsBitForBit() {
    for (boolean fused : new boolean[] {false, true}) {
      GrzoConfig p = GrzoConfig.paperDefault();
      GrzoConfig plain = new GrzoConfig(p.shared(), p.estimator(), fused, p.kinds());
      Run without = train(plain);
      Run with = train(plain.withCacheDirections(true));
      assertThat(with.losses()).as("losses, fused=" + fused).isEqualTo(without.losses());
      assertThat(with.weights().keySet()).isEqualTo(without.weights().keySet());
      without
          .weights()
          .forEach(
              (name, w) ->
                  assertThat(with.weights().get(name)).as(name + ", fused=" + fused).isEqualTo(w));
      assertThat(without.weights().get("model.layers.0.mlp.down_proj.weight"))
          .as("the steps moved the weights")
          .isNotEqualTo(untrained("model.layers.0.mlp.down_proj.weight"));
    }
  }

  @Test
  void aVariantThatShapesEachUseIsRefused() {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM model = Models.load(ReplayTest.model("llama3-tiny"), ComputeDtype.FLOAT32, root)) {
      GrzoConfig cached = GrzoConfig.paperDefault().withCacheDirections(true);
      assertThatThrownBy(() -> new GrzoOptimizer(model, cached, new QuantizedNoise(4)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cache_directions");
    }
  }

  private record Run(List<Double> losses, Map<String, float[]> weights) {}

  private static Run train(GrzoConfig config) {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM model = Models.load(ReplayTest.model("llama3-tiny"), ComputeDtype.FLOAT32, root)) {
      GrzoOptimizer opt = new GrzoOptimizer(model, config);
      List<Double> losses = new ArrayList<>();
      for (int step = 0; step < 3; step++) {
        ZoStep s = opt.step(step, 900L + step, 1e-2, new LmBatchLoss(model, root, 4, 6, 20 + step));
        for (double l : s.lossPlus()) {
          losses.add(l);
        }
        for (double l : s.lossMinus()) {
          losses.add(l);
        }
      }
      Map<String, float[]> weights = new LinkedHashMap<>();
      model.parameters().parameters().keySet().forEach(n -> weights.put(n, weightOf(model, n)));
      return new Run(losses, weights);
    }
  }

  private static float[] untrained(String name) {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM model = Models.load(ReplayTest.model("llama3-tiny"), ComputeDtype.FLOAT32, root)) {
      return weightOf(model, name);
    }
  }

  private static float[] weightOf(CausalLM model, String name) {
    return model.parameters().get(name).value().toFloatArray();
  }
}
