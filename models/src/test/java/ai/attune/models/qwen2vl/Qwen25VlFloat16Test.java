package ai.attune.models.qwen2vl;

import static ai.attune.models.TestData.maxAbsDiff;
import static ai.attune.models.TestData.referenceFloats;
import static ai.attune.models.qwen2vl.VlFixture.GRID;
import static ai.attune.models.qwen2vl.VlFixture.ids;
import static ai.attune.models.qwen2vl.VlFixture.mropeFloats;
import static ai.attune.models.qwen2vl.VlFixture.pixels;
import static ai.attune.models.qwen2vl.VlFixture.report;
import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.models.CausalLM;
import ai.attune.models.Models;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** float16 compute (norms, rotary and softmax in float32) stays close to HF's float32 outputs. */
@Tag("engine")
class Qwen25VlFloat16Test {
  @Test
  void float16VisionAndLogitsStayCloseToFloat32() {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM lm = Models.load(VlFixture.dir(), ComputeDtype.FLOAT16, root)) {
      Qwen25VlForConditionalGeneration vl = (Qwen25VlForConditionalGeneration) lm;
      NDArray vision = vl.visionEmbeddings(pixels(root), GRID);
      assertThat(vision.getDataType()).isEqualTo(DataType.FLOAT16);
      double visionDiff =
          maxAbsDiff(
              vision.toType(DataType.FLOAT32, false).toFloatArray(),
              referenceFloats(VlFixture.MODEL, "vision_embeds"));
      report("float16 vision embeddings vs HF float32", visionDiff);
      assertThat(visionDiff).isLessThan(0.01);
      NDArray ids = ids(root);
      CausalLM prompt = vl.withImages(ids, ids.onesLike(), pixels(root), GRID);
      NDArray logits = prompt.forward(ids, ids.onesLike(), null);
      assertThat(logits.getDataType()).isEqualTo(DataType.FLOAT32);
      double diff = maxAbsDiff(logits.toFloatArray(), mropeFloats("mrope_logits"));
      report("float16 M-RoPE logits vs HF float32", diff);
      assertThat(diff).isGreaterThan(0).isLessThan(0.01);
    }
  }
}
