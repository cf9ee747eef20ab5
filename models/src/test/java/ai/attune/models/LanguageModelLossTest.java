package ai.attune.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The next-token loss: its values, its row blocks, and what it leaves behind. */
@Tag("engine")
class LanguageModelLossTest {
  private static final int B = 5;
  private static final int T = 7;
  private static final int V = 11;

  @Test
  void rowBlocksGiveTheSameLossesBitForBitAndMatchAHandComputedValue() {
    SplittableRandom rng = new SplittableRandom(7);
    float[] logits = new float[B * T * V];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) (rng.nextGaussian() * 3);
    }
    long[] ids = new long[B * T];
    long[] mask = new long[B * T];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = rng.nextInt(V);
      mask[i] = (i % T) < T - (i / T) % 3 ? 1 : 0; // rows end in 0, 1 or 2 pads
    }
    try (NDManager m = Engines.newManager(DevicePolicy.CPU)) {
      NDArray x = m.create(logits, new Shape(B, T, V));
      NDArray idArray = m.create(ids, new Shape(B, T));
      NDArray maskArray = m.create(mask, new Shape(B, T));
      float[] whole =
          LanguageModelLoss.perExample(x, idArray, maskArray, Long.MAX_VALUE).toFloatArray();
      long rowBytes = (long) T * V * Float.BYTES;
      for (long chunk : new long[] {1, rowBytes, 2 * rowBytes, 3 * rowBytes + 5}) {
        float[] blocked = LanguageModelLoss.perExample(x, idArray, maskArray, chunk).toFloatArray();
        assertThat(blocked).as("blocks of %d bytes", chunk).containsExactly(whole);
      }
      for (int b = 0; b < B; b++) {
        assertThat((double) whole[b]).isCloseTo(handLoss(logits, ids, mask, b), within(1e-5));
      }
    }
  }

  @Test
  void onlyTheLossesOutliveTheCall() {
    try (NDManager m = Engines.newManager(DevicePolicy.CPU)) {
      NDArray x = m.randomNormal(new Shape(B, T, V));
      long[] idValues = new long[B * T];
      for (int i = 0; i < idValues.length; i++) {
        idValues[i] = i % V;
      }
      NDArray ids = m.create(idValues, new Shape(B, T));
      NDArray mask = ids.onesLike();
      int before = m.getManagedArrays().size();
      for (long chunk : new long[] {1, Long.MAX_VALUE}) {
        NDArray loss = LanguageModelLoss.perExample(x, ids, mask, chunk);
        assertThat(loss.getShape()).isEqualTo(new Shape(B));
        assertThat(m.getManagedArrays().size())
            .as("blocks of %d bytes", chunk)
            .isEqualTo(before + 1);
        loss.close();
      }
    }
  }

  /** Mean over counted positions t of logsumexp(logits[b, t]) - logits[b, t, ids[b, t+1]]. */
  private static double handLoss(float[] logits, long[] ids, long[] mask, int b) {
    double total = 0;
    int count = 0;
    for (int t = 0; t + 1 < T; t++) {
      if (mask[b * T + t] == 0 || mask[b * T + t + 1] == 0) {
        continue;
      }
      int base = (b * T + t) * V;
      double max = Double.NEGATIVE_INFINITY;
      for (int v = 0; v < V; v++) {
        max = Math.max(max, logits[base + v]);
      }
      double sum = 0;
      for (int v = 0; v < V; v++) {
        sum += Math.exp(logits[base + v] - max);
      }
      total += max + Math.log(sum) - logits[base + (int) ids[b * T + t + 1]];
      count++;
    }
    return total / Math.max(1, count);
  }
}
