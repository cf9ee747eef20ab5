package ai.attune.grzo.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.models.CausalLM;
import ai.attune.models.LanguageModel;
import ai.attune.models.MaskedLM;
import ai.attune.models.Models;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The forward of a model with a separable head runs the head only at the positions asked for, and
 * gives the logits of the whole forward there.
 */
@Tag("engine")
class HeadWhereReadTest {
  private static final int R = 4;
  private static final int T = 10;

  @Test
  void causalLmSpanAndPositionsMatchTheWholeLogits() {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM lm = Models.load(TaskTestData.dir("opt-tiny"), ComputeDtype.FLOAT32, root)) {
      NDArray[] in = inputs(root, lm, false);
      check(lm, lm.forward(in[0], in[1], null), in[0], in[1]);
    }
  }

  @Test
  void maskedLmSpanAndPositionsMatchTheWholeLogits() {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        MaskedLM lm =
            Models.loadMasked(TaskTestData.dir("roberta-tiny"), ComputeDtype.FLOAT32, root)) {
      NDArray[] in = inputs(root, lm, true);
      check(lm, lm.forward(in[0], in[1]), in[0], in[1]);
    }
  }

  private static void check(LanguageModel lm, NDArray whole, NDArray ids, NDArray mask) {
    Forward f = Forward.of(lm);
    assertThat(f).isInstanceOf(HeadWhereRead.class);
    int v = lm.info().vocabSize();
    assertThat(f.logits(ids, mask).toFloatArray()).containsExactly(whole.toFloatArray());

    NDArray span = f.logits(ids, mask, T - 4, T - 1);
    assertThat(span.getShape()).isEqualTo(new Shape(R, 3, v));
    assertThat(maxAbsDiff(span, whole.get(":, " + (T - 4) + ":" + (T - 1) + ", :")))
        .isLessThan(1e-5);

    NDArray positions = ids.getManager().create(new long[] {0, 3, T - 1, 5});
    NDArray at = f.logitsAt(ids, mask, positions);
    assertThat(at.getShape()).isEqualTo(new Shape(R, v));
    long[] p = positions.toLongArray();
    for (int r = 0; r < R; r++) {
      assertThat(maxAbsDiff(at.get(r), whole.get(r + ", " + p[r] + ", :"))).isLessThan(1e-5);
    }
  }

  private static NDArray[] inputs(NDManager m, LanguageModel lm, boolean rightPadded) {
    SplittableRandom rng = new SplittableRandom(11);
    long[] ids = new long[R * T];
    long[] mask = new long[R * T];
    for (int i = 0; i < ids.length; i++) {
      int pos = i % T;
      int pads = (i / T) % 3;
      boolean real = rightPadded ? pos < T - pads : pos >= pads;
      mask[i] = real ? 1 : 0;
      ids[i] = real ? 3 + rng.nextInt(lm.info().vocabSize() - 3) : lm.info().padTokenId();
    }
    return new NDArray[] {m.create(ids, new Shape(R, T)), m.create(mask, new Shape(R, T))};
  }

  private static double maxAbsDiff(NDArray a, NDArray b) {
    return a.sub(b).abs().max().getFloat();
  }
}
