package ai.attune.grzo.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.core.params.Parameter;
import ai.attune.grzo.estimator.GroupRelativeEstimator;
import ai.attune.models.CausalLM;
import ai.attune.models.Models;
import ai.attune.models.adapters.PerturbationKind;
import ai.attune.testsupport.FixturePaths;
import ai.djl.ndarray.NDManager;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * GRZO updates the embedding rows each table looked up: OPT's learned positions move at the
 * position ids of the batch (2 .. T+1), not at its token ids.
 */
@Tag("engine")
class EmbeddingRowsTest {
  @Test
  void positionTableMovesAtThePositionIdsOfTheBatch() {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM model = Models.load(FixturePaths.of("opt-tiny"), ComputeDtype.FLOAT32, root)) {
      Parameter positions = model.parameters().get("model.decoder.embed_positions.weight");
      float[] before = positions.value().toFloatArray();
      GrzoOptimizer grzo =
          new GrzoOptimizer(
              model,
              new GrzoConfig(
                  1e-2,
                  GroupRelativeEstimator.paperDefault(),
                  true,
                  EnumSet.of(PerturbationKind.EMBEDDING)));
      ZoStep r = grzo.step(0, 5, 0.1, new LmBatchLoss(model, root, 4, 6, 3));
      assertThat(r.embeddingRows()).containsOnlyKeys("model.decoder.embed_positions");
      float[] after = positions.value().toFloatArray();
      Set<Integer> moved = new TreeSet<>();
      for (int i = 0; i < before.length; i++) {
        if (before[i] != after[i]) {
          moved.add(i / 64);
        }
      }
      assertThat(moved).containsExactly(2, 3, 4, 5, 6, 7);
    }
  }

  @Test
  void overABareParameterStoreAnEmbeddingTableIsRefused() {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM model = Models.load(FixturePaths.of("opt-tiny"), ComputeDtype.FLOAT32, root)) {
      assertThatThrownBy(() -> new GrzoOptimizer(model.parameters(), GrzoConfig.paperDefault()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("embedding table model.decoder.embed_positions would be perturbed")
          .hasMessageContaining("build it from the model");
    }
  }
}
