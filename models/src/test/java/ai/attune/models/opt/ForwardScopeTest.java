package ai.attune.models.opt;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.models.CausalLM;
import ai.attune.models.LanguageModelLoss;
import ai.attune.models.Models;
import ai.attune.models.TestData;
import ai.attune.models.generation.GenerationConfig;
import ai.attune.models.generation.Generator;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Forward passes in per-step managers leave nothing behind. */
@Tag("engine")
class ForwardScopeTest {
  @Test
  void twoHundredForwardPassesDoNotGrowTheLiveArrays() {
    long[] ids = TestData.referenceLongs("opt-tiny", "input_ids");
    long[] mask = TestData.referenceLongs("opt-tiny", "attention_mask");
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM lm = Models.load(TestData.dir("opt-tiny"), ComputeDtype.FLOAT32, root)) {
      int params = lm.parameters().parameters().size();
      int baseline = root.getManagedArrays().size();
      assertThat(baseline).isEqualTo(params);
      for (int i = 0; i < 200; i++) {
        try (NDManager step = root.newSubManager()) {
          NDArray x = step.create(ids).reshape(3, 12);
          NDArray m = step.create(mask).reshape(3, 12);
          NDArray logits = lm.forward(x, m, null);
          LanguageModelLoss.perExample(logits, x, m).toFloatArray();
          if (i % 50 == 0) {
            GenerationConfig sampled =
                GenerationConfig.builder()
                    .setMaxNewTokens(4)
                    .optTemperature(0.8)
                    .optTopK(20)
                    .optTopP(0.9)
                    .optReturnLogprobs(true)
                    .build();
            NDArray ones = x.onesLike();
            NDArray prompt = x.get(":1, :6");
            NDArray promptMask = m.get(":1, :6");
            int live = step.getManagedArrays().size();
            new Generator(lm).generate(prompt, promptMask, sampled);
            new Generator(lm).generate(x, ones, GenerationConfig.greedy(4));
            assertThat(step.getManagedArrays().size())
                .as("arrays left by generate")
                .isEqualTo(live);
          }
        }
        assertThat(root.getManagedArrays().size())
            .as("live arrays after pass %d", i)
            .isEqualTo(baseline);
      }
    }
  }
}
