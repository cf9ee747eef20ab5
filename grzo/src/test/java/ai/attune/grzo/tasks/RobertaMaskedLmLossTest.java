package ai.attune.grzo.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.models.MaskedLM;
import ai.attune.models.Models;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The LM-BFF masked-LM form on roberta-tiny against the logits at the mask position. */
@Tag("engine")
class RobertaMaskedLmLossTest {
  static NDManager root;
  static MaskedLM lm;
  static TextTokenizer tok;
  static MaskedLmForm form;
  static MaskedLmEncoder encoder;

  @BeforeAll
  static void load() {
    root = Engines.newManager(DevicePolicy.CPU);
    lm = Models.loadMasked(TaskTestData.dir("roberta-tiny"), ComputeDtype.FLOAT32, root);
    tok = TextTokenizer.load(TaskTestData.dir("tokenizer.json"));
    form = MaskedLmForm.roberta(tok, lm.info().padTokenId(), 38);
    encoder = new MaskedLmEncoder(tok, form);
  }

  @AfterAll
  static void close() {
    tok.close();
    lm.close();
    root.close();
  }

  /** {@code <s>{sentence} It was<mask>.</s>}, built by hand. */
  static long[] row(TaskExample e) {
    long[] prompt = tok.encode(e.prompt());
    long[] dot = tok.encode(".");
    long[] row = new long[prompt.length + dot.length + 3];
    row[0] = form.clsId();
    System.arraycopy(prompt, 0, row, 1, prompt.length);
    row[prompt.length + 1] = form.maskId();
    System.arraycopy(dot, 0, row, prompt.length + 2, dot.length);
    row[row.length - 1] = form.sepId();
    return row;
  }

  /** The label words' logits at the mask of one unpadded row. */
  static double[] handScores(TaskExample e, long[] words) {
    long[] row = row(e);
    int maskAt = tok.encode(e.prompt()).length + 1;
    int vocab = lm.info().vocabSize();
    try (NDManager m = root.newSubManager()) {
      NDArray ids = m.create(row).reshape(1, row.length);
      float[] logits = lm.forward(ids, ids.onesLike()).toFloatArray();
      return Arrays.stream(words).mapToDouble(w -> logits[maskAt * vocab + (int) w]).toArray();
    }
  }

  @Test
  void theTemplateIsClsSentenceItWasMaskDotSep() {
    assertThat(form.clsId()).isEqualTo(10);
    assertThat(form.sepId()).isEqualTo(11);
    assertThat(form.maskId()).isEqualTo(12);
    List<TaskExample> examples = OptTaskLossTest.sst2(3);
    try (NDManager step = root.newSubManager()) {
      MaskedSlotBatch batch = encoder.forTraining(examples, step);
      int t = (int) batch.inputIds().getShape().get(1);
      long[] ids = batch.inputIds().toLongArray();
      for (int i = 0; i < 3; i++) {
        long[] row = row(examples.get(i));
        assertThat(Arrays.copyOfRange(ids, i * t, i * t + row.length)).containsExactly(row);
        for (int j = i * t + row.length; j < (i + 1) * t; j++) {
          assertThat(ids[j]).as("right padding").isEqualTo(lm.info().padTokenId());
        }
        assertThat(batch.maskPositions().getLong(i))
            .isEqualTo(tok.encode(examples.get(i).prompt()).length + 1);
      }
      assertThat(tok.decode(row(examples.get(0))))
          .isEqualTo("<s>" + examples.get(0).prompt() + "<mask>.</s>");
      assertThat(batch.labelWordIds())
          .containsExactly(tok.encode(" terrible")[0], tok.encode(" great")[0]);
    }
  }

  @Test
  void lossIsTheCrossEntropyOverLabelWordLogitsAtTheMask() {
    List<TaskExample> examples = OptTaskLossTest.sst2(6);
    try (NDManager step = root.newSubManager()) {
      MaskedSlotBatch batch = encoder.forTraining(examples, step);
      float[] got = PerExampleLoss.standard().apply(lm, batch).toFloatArray();
      double[] want = new double[examples.size()];
      int[] predicted = new int[examples.size()];
      double correct = 0;
      for (int i = 0; i < want.length; i++) {
        double[] z = handScores(examples.get(i), batch.labelWordIds());
        want[i] = HandMath.crossEntropy(z, examples.get(i).label());
        predicted[i] = HandMath.argmax(z);
        correct += predicted[i] == examples.get(i).label() ? 1 : 0;
      }
      double diff = HandMath.maxAbsDiff(got, want);
      float[] fused = PerExampleLoss.standard().apply(lm, batch.repeat(2)).toFloatArray();
      double halves = 0;
      for (int i = 0; i < want.length; i++) {
        halves = Math.max(halves, Math.abs(fused[i] - fused[i + want.length]));
      }
      EvalMetrics m = Evaluator.forChoices(lm, encoder, 4).evaluate(examples, root);
      System.out.printf(
          "roberta MLM: max |loss - hand| = %.3g, fused halves %.3g, accuracy %.4f"
              + " (hand %.4f), losses %s%n",
          diff, halves, m.value(), correct / want.length, Arrays.toString(got));
      assertThat(diff).isLessThan(1e-5);
      assertThat(halves).isLessThanOrEqualTo(1e-6);
      assertThat(m.value()).isEqualTo(correct / want.length);
      assertThat(Math.abs(m.loss() - Arrays.stream(want).average().orElseThrow())).isLessThan(1e-5);
    }
  }

  @Test
  void labelWordsMustBeSingleTokensAndOnlyClassificationIsScored() {
    TaskExample multi =
        new TaskExample(
            "t:1",
            TaskObjective.CLASSIFICATION,
            "it was",
            List.of(" wonderful", " great"),
            0,
            List.of());
    try (NDManager step = root.newSubManager()) {
      assertThatThrownBy(() -> encoder.forTraining(List.of(multi), step))
          .hasMessageContaining("label word \" wonderful\" is")
          .hasMessageContaining("needs one token per word");
      assertThatThrownBy(() -> encoder.forTraining(OptTaskLossTest.copa(), step))
          .hasMessageContaining("classification tasks only");
    }
  }
}
