package ai.attune.grzo.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.models.init.RandomInit;
import ai.attune.models.layers.Activations;
import ai.attune.models.roberta.RobertaConfig;
import ai.attune.models.roberta.RobertaForMaskedLM;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The masked-LM workload: prompts in RoBERTa's form, one loss per example read at the mask. */
@Tag("engine")
class RandomSlotLossTest {
  private static final int VOCAB = 64;

  @Test
  void promptsHaveTheFormAndLossesAreTheMaskSlotsCrossEntropy() {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        RobertaForMaskedLM model =
            new RobertaForMaskedLM(
                new RobertaConfig(
                    VOCAB, 16, 2, 2, 64, 32, 1, 1e-5f, Activations.GELU, true, 1, 0, List.of(2)),
                ComputeDtype.FLOAT32,
                root);
        RandomSlotLoss loss = new RandomSlotLoss(model, root, 3, 6, 0, 2, 7)) {
      RandomInit.fill(model.parameters(), 0.02, 7, DataType.FLOAT32);
      assertThat(loss.examples()).isEqualTo(3);
      assertThat(loss.rowExamples()).containsExactly(0, 1, 2);
      for (long[] row : loss.rowTokens()) {
        assertThat(row).hasSize(6);
        assertThat(row[0]).isZero(); // <s>
        assertThat(row[4]).isEqualTo(VOCAB - 1); // the mask, one before the end
        assertThat(row[5]).isEqualTo(2); // </s>
        for (int t = 1; t < 4; t++) {
          assertThat(row[t]).isBetween(4L, VOCAB - 2L); // words, never a special or the mask
        }
      }
      double[] one = loss.evaluate(1);
      // the same losses from the whole [B, T, vocab] logits, read at the mask and the targets
      try (NDManager m = root.newSubManager()) {
        long[] flat = new long[3 * 6];
        for (int i = 0; i < 3; i++) {
          System.arraycopy(loss.rowTokens()[i], 0, flat, i * 6, 6);
        }
        NDArray ids = m.create(flat).reshape(3, 6);
        float[] logp =
            model
                .forwardEmbeddings(model.embed(ids), ids, ids.onesLike())
                .logSoftmax(-1)
                .toFloatArray();
        for (int i = 0; i < 3; i++) {
          int at = (i * 6 + loss.slot()) * VOCAB + (int) loss.targetIds()[i];
          assertThat(one[i]).isCloseTo(-logp[at], within(1e-5));
        }
      }
      double[] two = loss.evaluate(2);
      assertThat(one).hasSize(3);
      assertThat(two).hasSize(6);
      for (int i = 0; i < 3; i++) {
        // near-zero random weights give near-uniform predictions: about ln(vocab) at the mask
        assertThat(one[i]).isCloseTo(Math.log(VOCAB), within(0.3));
        // the 2B batch scores the same rows twice
        assertThat(two[i]).isCloseTo(one[i], within(1e-5));
        assertThat(two[i + 3]).isCloseTo(one[i], within(1e-5));
      }
    }
  }
}
