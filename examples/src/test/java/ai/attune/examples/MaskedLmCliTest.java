package ai.attune.examples;

import static ai.attune.examples.AttuneCliTest.data;
import static ai.attune.examples.AttuneCliTest.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.safetensors.SafetensorsCheckpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line on the bundled tiny RoBERTa masked LM. */
@Tag("e2e")
class MaskedLmCliTest {
  @TempDir Path tmp;

  @Test
  void forwardWritesTheReferenceLogitsAndAFiniteLossPerRow() {
    Path model = data("roberta-tiny");
    Path ref = model.resolve("reference.safetensors");
    Path out = tmp.resolve("out.safetensors");
    assertThat(
            AttuneCli.run(
                "forward",
                "--model",
                model.toString(),
                "--inputs",
                ref.toString(),
                "--out",
                out.toString(),
                "--device",
                "cpu"))
        .isZero();
    try (SafetensorsCheckpoint got = SafetensorsCheckpoint.open(out);
        SafetensorsCheckpoint want = SafetensorsCheckpoint.open(ref)) {
      assertThat(got.info("logits").shape()).containsExactly(3, 12, 512);
      float diff = maxAbsDiff(got.read("logits").toFloats(), want.read("logits").toFloats());
      System.out.printf("forward roberta-tiny: max abs diff vs HF logits %.3g%n", diff);
      assertThat(diff).isLessThan(1e-4f);
      assertThat(got.info("per_example_loss").shape()).containsExactly(3);
      float[] loss = got.read("per_example_loss").toFloats();
      for (float l : loss) {
        // a random 512-token model: near ln(512) = 6.24, and certainly finite and positive
        assertThat(l).isFinite().isBetween(1f, 12f);
      }
      float[] expected =
          ownPositionLoss(
              want.read("logits").toFloats(),
              want.read("input_ids").toLongs(),
              want.read("attention_mask").toLongs());
      assertThat(maxAbsDiff(loss, expected)).isLessThan(1e-4f);
    }
  }

  /** Token-mean -log p(ids[b, t]) at position t over unpadded t, in double precision. */
  static float[] ownPositionLoss(float[] logits, long[] ids, long[] mask) {
    int vocab = 512;
    int rows = 3;
    int len = ids.length / rows;
    float[] loss = new float[rows];
    for (int b = 0; b < rows; b++) {
      double sum = 0;
      int count = 0;
      for (int t = 0; t < len; t++) {
        if (mask[b * len + t] == 0) {
          continue;
        }
        int at = (b * len + t) * vocab;
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) {
          max = Math.max(max, logits[at + v]);
        }
        double z = 0;
        for (int v = 0; v < vocab; v++) {
          z += Math.exp(logits[at + v] - max);
        }
        sum -= logits[at + (int) ids[b * len + t]] - max - Math.log(z);
        count++;
      }
      loss[b] = (float) (sum / count);
    }
    return loss;
  }

  @Test
  void generateRefusesTheMaskedLmNamingIt() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      code =
          AttuneCli.run(
              "generate",
              "--model",
              data("roberta-tiny").toString(),
              "--prompt",
              "the chart shows",
              "--max-new-tokens",
              "2");
    } finally {
      System.setErr(old);
    }
    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("error:")
        .contains("model_type 'roberta' is a masked LM");
  }
}
