package ai.attune.models.qwen2vl;

import static ai.attune.models.qwen2vl.VlFixture.GRID;
import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.models.CausalLM;
import ai.attune.models.LanguageModelLoss;
import ai.attune.models.Models;
import ai.attune.models.TestData;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Passes with images in per-step managers leave nothing behind in the model's manager. */
@Tag("engine")
class Qwen25VlForwardScopeTest {
  @Test
  void fiftyPassesWithImagesDoNotGrowTheLiveArrays() {
    long[] ids = TestData.referenceLongs(VlFixture.MODEL, "input_ids");
    float[] pixels = TestData.referenceFloats(VlFixture.MODEL, "pixel_values");
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM lm = Models.load(VlFixture.dir(), ComputeDtype.FLOAT32, root)) {
      Qwen25VlForConditionalGeneration vl = (Qwen25VlForConditionalGeneration) lm;
      int params = lm.parameters().parameters().size();
      int baseline = root.getManagedArrays().size();
      assertThat(baseline).isEqualTo(params);
      for (int i = 0; i < 50; i++) {
        try (NDManager step = root.newSubManager()) {
          NDArray x = step.create(ids).reshape(1, 21);
          NDArray mask = x.onesLike();
          CausalLM prompt = vl.withImages(x, mask, step.create(pixels).reshape(48, 1176), GRID);
          NDArray logits = prompt.forward(x, mask, null);
          LanguageModelLoss.perExample(logits, x, mask).toFloatArray();
          if (i % 10 == 0) {
            TestData.greedy(prompt, x, mask, 3);
          }
        }
        assertThat(root.getManagedArrays().size())
            .as("live arrays after pass %d", i)
            .isEqualTo(baseline);
      }
    }
  }
}
