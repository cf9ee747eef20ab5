package ai.attune.iapo.warmstart;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.optim.AdamWConfig;
import ai.attune.core.params.Parameter;
import ai.attune.iapo.rollout.RolloutConfig;
import ai.attune.iapo.rollout.TinyVl;
import ai.attune.iapo.rollout.Trajectory;
import ai.attune.models.adapters.Lora;
import ai.attune.models.adapters.LoraConfig;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The warm start trains only the adapters once LoRA (all linear layers, r = 8) froze the rest. */
@Tag("engine")
class LoraWarmStartTest {
  @Test
  void loraWarmStartLowersTheLossAndLeavesTheBaseWeights() {
    try (TinyVl vl = new TinyVl()) {
      RolloutConfig config = TinyVl.config(3, 64);
      List<Trajectory> demos =
          Demonstrations.build(
                  TinyVl.train().subList(0, 8),
                  vl.tokenizer,
                  vl.processor,
                  TinyVl.registry(),
                  config)
              .stream()
              .map(Demonstrations.Demonstration::trajectory)
              .toList();
      Lora lora =
          Lora.apply(
              vl.model.parameters(), new LoraConfig(8, 16f, List.of(LoraConfig.ALL_LINEAR), 7));
      Parameter base = vl.model.parameters().get("model.layers.0.mlp.up_proj.weight");
      Parameter vision = vl.model.parameters().get("visual.blocks.0.attn.qkv.weight");
      float[] baseBefore = base.value().toFloatArray();
      float[] visionBefore = vision.value().toFloatArray();
      int live = vl.root.getManagedArrays().size();

      WarmStartResult r =
          SupervisedWarmStart.train(
              vl.model,
              demos,
              new WarmStartConfig(
                  30,
                  2,
                  AdamWConfig.builder(1e-2).build(),
                  3,
                  WarmStartConfig.Schedule.CONSTANT,
                  0),
              0,
              vl.root);

      System.out.printf(
          "LoRA r=8 on %d layers: 30 steps of 2 in %.1f s, loss %.3f -> %.3f%n",
          lora.layers().size(), r.seconds(), r.firstMean(5), r.lastMean(5));
      // Adapters on a random model with frozen embeddings learn slowly (measured 6.05 -> 5.40;
      // full fine-tuning reaches 0.06 in 300 steps), but they learn.
      assertThat(r.lastMean(5)).isLessThan(r.firstMean(5) - 0.3);
      assertThat(base.value().toFloatArray()).containsExactly(baseBefore);
      assertThat(vision.value().toFloatArray()).containsExactly(visionBefore);
      for (var w : lora.layers()) { // B starts at zero: every adapter moved
        float[] b = w.b().value().toFloatArray();
        assertThat(b).as(w.layer()).isNotEqualTo(new float[b.length]);
      }
      assertThat(vl.root.getManagedArrays().size()).isEqualTo(live);
    }
  }
}
