package ai.attune.models.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.core.noise.SeededNoise;
import ai.attune.models.CausalLM;
import ai.attune.models.Models;
import ai.attune.models.TestData;
import ai.attune.models.layers.Linear;
import ai.djl.ndarray.NDManager;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every (layer, purpose) of a step draws from a stream of its own: the layers of llama3-tiny are
 * numbered in registration order, and their engine seeds for one step are distinct in all 64 bits
 * and in the low 32 bits a CPU generator keeps.
 */
@Tag("engine")
class PerturbationStreamsTest {
  static final long STEP_SEED = SeededNoise.derive(42, 7);

  @Test
  void everyLayerAndPurposeOfAStepHasItsOwnEngineSeed() {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM lm = Models.load(TestData.dir("llama3-tiny"), ComputeDtype.FLOAT32, root)) {
      List<Perturbable> layers = lm.parameters().modules(Perturbable.class);
      Set<Long> seeds = new HashSet<>();
      Set<Integer> low = new HashSet<>();
      for (int i = 0; i < layers.size(); i++) {
        assertThat(layers.get(i).streamIndex()).isEqualTo(i);
        for (long purpose = 1; purpose < PerturbationNoise.PURPOSES; purpose++) {
          long s = PerturbationNoise.engineSeed(STEP_SEED, i, purpose);
          assertThat(s - SeededNoise.stream(STEP_SEED, 0)).isEqualTo(i * 8L + purpose);
          seeds.add(s);
          low.add((int) s);
        }
      }
      int streams = layers.size() * 7;
      assertThat(seeds).hasSize(streams);
      assertThat(low).hasSize(streams);
    }
  }

  @Test
  void twoLayersOfTheSameShapeDrawDifferentNoise() {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM lm = Models.load(TestData.dir("llama3-tiny"), ComputeDtype.FLOAT32, root);
        NDManager m = root.newSubManager()) {
      List<Linear> q =
          lm.parameters().modules(Linear.class).stream()
              .filter(l -> l.name().endsWith("q_proj"))
              .toList();
      assertThat(q).hasSize(2);
      float[] u0 = q.get(0).noiseU(m, STEP_SEED).toFloatArray();
      float[] u1 = q.get(1).noiseU(m, STEP_SEED).toFloatArray();
      assertThat(u0).isNotEqualTo(u1);
      assertThat(q.get(0).noiseU(m, STEP_SEED).toFloatArray()).isEqualTo(u0); // regenerated
    }
  }

  @Test
  void aSeedBeyondTheIntRangeReachesTheEngine() {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU)) {
      long s = 0x1234_5678_9ABCL;
      float[] a =
          SeededNoise.gaussianAt(
                  root, s, new ai.djl.ndarray.types.Shape(8), ai.djl.ndarray.types.DataType.FLOAT32)
              .toFloatArray();
      float[] b =
          SeededNoise.gaussianAt(
                  root,
                  (int) s,
                  new ai.djl.ndarray.types.Shape(8),
                  ai.djl.ndarray.types.DataType.FLOAT32)
              .toFloatArray();
      // a CPU generator keeps the low 32 bits: the same stream as the int seed
      assertThat(a).isEqualTo(b);
    }
  }

  @Test
  void anUnregisteredLayerHasNoStream() {
    assertThatThrownBy(() -> PerturbationNoise.engineSeed(1, -1, PerturbationNoise.PURPOSE_U))
        .hasMessageContaining("no noise stream");
  }
}
