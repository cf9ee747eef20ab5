package ai.attune.grzo.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.models.CausalLM;
import ai.attune.models.Models;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The untied output head of llama3-tiny ({@code lm_head.weight}) is left bit for bit as it was by
 * GRZO and MeZO training unless their config asks to train it (grzo.md §2).
 */
@Tag("e2e")
class FrozenHeadTest {

  @Test
  void grzoLeavesAnUntiedHeadUntouchedByDefault() {
    assertHeadAfterTraining(m -> new GrzoOptimizer(m, GrzoConfig.paperDefault()), false);
  }

  @Test
  void mezoLeavesAnUntiedHeadUntouchedByDefault() {
    assertHeadAfterTraining(m -> new MezoOptimizer(m.parameters(), MezoConfig.defaults()), false);
  }

  @Test
  void trainHeadTrainsItWithEitherOptimizer() {
    GrzoConfig p = GrzoConfig.paperDefault();
    assertHeadAfterTraining(
        m -> new GrzoOptimizer(m, new GrzoConfig(p.sigma(), p.estimator(), false, p.kinds(), true)),
        true);
    assertHeadAfterTraining(
        m -> new MezoOptimizer(m.parameters(), new MezoConfig(1e-3, 0, false, true)), true);
  }

  private static void assertHeadAfterTraining(
      Function<CausalLM, ZerothOrderOptimizer> build, boolean headMoves) {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM model = Models.load(ReplayTest.model("llama3-tiny"), ComputeDtype.FLOAT32, root)) {
      float[] head = model.parameters().get("lm_head.weight").value().toFloatArray();
      float[] body =
          model.parameters().get("model.layers.0.mlp.down_proj.weight").value().toFloatArray();
      ZerothOrderOptimizer opt = build.apply(model);
      for (int step = 0; step < 3; step++) {
        opt.step(step, 700L + step, 1e-2, new LmBatchLoss(model, root, 4, 6, 10 + step));
      }
      assertThat(
              Arrays.equals(model.parameters().get("lm_head.weight").value().toFloatArray(), head))
          .as("lm_head.weight unchanged")
          .isEqualTo(!headMoves);
      assertThat(
              Arrays.equals(
                  model
                      .parameters()
                      .get("model.layers.0.mlp.down_proj.weight")
                      .value()
                      .toFloatArray(),
                  body))
          .as("a body weight unchanged")
          .isFalse();
    }
  }
}
