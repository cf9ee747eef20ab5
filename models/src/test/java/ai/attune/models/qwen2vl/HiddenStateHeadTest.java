package ai.attune.models.qwen2vl;

import static ai.attune.models.TestData.maxAbsDiff;
import static ai.attune.models.qwen2vl.VlFixture.GRID;
import static ai.attune.models.qwen2vl.VlFixture.ids;
import static ai.attune.models.qwen2vl.VlFixture.mropeFloats;
import static ai.attune.models.qwen2vl.VlFixture.pixels;
import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.models.HiddenStateLM;
import ai.attune.models.Models;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The head applied apart from the decoder, at chosen positions, equals the full forward. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("engine")
class HiddenStateHeadTest {
  private NDManager root;
  private Qwen25VlForConditionalGeneration vl;

  @BeforeAll
  void load() {
    root = Engines.newManager(DevicePolicy.CPU);
    vl =
        (Qwen25VlForConditionalGeneration) Models.load(VlFixture.dir(), ComputeDtype.FLOAT32, root);
  }

  @AfterAll
  void close() {
    vl.close();
    root.close();
  }

  @Test
  void headAtSelectedPositionsEqualsTheFullForwardThere() {
    try (NDManager step = root.newSubManager()) {
      NDArray ids = ids(step);
      HiddenStateLM prompt = vl.bindImages(ids, ids.onesLike(), pixels(step), GRID);
      NDArray full = prompt.forward(ids, ids.onesLike(), null);
      NDArray hidden = prompt.forwardHidden(prompt.embed(ids), ids.onesLike(), null);
      assertThat(hidden.getShape()).isEqualTo(new Shape(1, 21, 64));
      long[] at = {3, 17, 20};
      NDArray rows = hidden.reshape(21, 64).get(step.create(at));
      NDArray logits = prompt.headLogits(rows);
      long vocab = full.getShape().get(2);
      assertThat(logits.getShape()).isEqualTo(new Shape(3, vocab));
      float[] all = mropeFloats("mrope_logits");
      float[] got = logits.toFloatArray();
      for (int i = 0; i < at.length; i++) {
        float[] want = Arrays.copyOfRange(all, (int) (at[i] * vocab), (int) ((at[i] + 1) * vocab));
        float[] row = Arrays.copyOfRange(got, (int) (i * vocab), (int) ((i + 1) * vocab));
        assertThat(maxAbsDiff(row, want)).isLessThan(1e-4);
      }
      assertThat(maxAbsDiff(prompt.headLogits(hidden).toFloatArray(), full.toFloatArray()))
          .isEqualTo(0.0);
    }
  }
}
