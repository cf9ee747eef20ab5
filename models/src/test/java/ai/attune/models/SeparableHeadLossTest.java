package ai.attune.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A model's head applied apart from its decoder: the same logits as the whole forward, and the
 * next-token loss with the head run a block of rows at a time equal to the loss of the whole
 * logits.
 */
@Tag("engine")
class SeparableHeadLossTest {
  private static final int B = 5;
  private static final int T = 9;

  @ParameterizedTest
  @ValueSource(strings = {"opt-tiny", "opt-tiny-postln-proj", "llama3-tiny", "qwen2-tiny"})
  void headOfHiddenStatesIsTheForwardAndBlockedLossMatchesTheWholeLogits(String model) {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM loaded = Models.load(TestData.dir(model), ComputeDtype.FLOAT32, root)) {
      assertThat(loaded).isInstanceOf(SeparableHeadLM.class);
      SeparableHeadLM lm = (SeparableHeadLM) loaded;
      SplittableRandom rng = new SplittableRandom(3);
      long[] ids = new long[B * T];
      long[] mask = new long[B * T];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = rng.nextInt(lm.info().vocabSize());
        mask[i] = (i % T) >= (i / T) % 3 ? 1 : 0; // rows start with 0, 1 or 2 pads
      }
      NDArray idArray = root.create(ids, new Shape(B, T));
      NDArray maskArray = root.create(mask, new Shape(B, T));
      NDArray logits = lm.forward(idArray, maskArray, null);
      NDArray hidden = lm.forwardHidden(lm.embed(idArray), maskArray, null);
      assertThat(lm.headLogits(hidden).toFloatArray()).containsExactly(logits.toFloatArray());

      float[] whole = LanguageModelLoss.perExample(logits, idArray, maskArray).toFloatArray();
      long rowBytes = (long) T * lm.info().vocabSize() * Float.BYTES;
      for (long chunk : new long[] {1, 2 * rowBytes, Long.MAX_VALUE}) {
        float[] blocked =
            LanguageModelLoss.perExample(lm, hidden, idArray, maskArray, chunk).toFloatArray();
        assertThat(TestData.maxAbsDiff(blocked, whole))
            .as("blocks of %d bytes", chunk)
            .isLessThan(1e-6);
      }
      int before = root.getManagedArrays().size();
      NDArray loss = LanguageModelLoss.perExample(lm, hidden, idArray, maskArray, 1);
      assertThat(loss.getShape()).isEqualTo(new Shape(B));
      assertThat(root.getManagedArrays().size()).as("only the losses remain").isEqualTo(before + 1);
    }
  }
}
