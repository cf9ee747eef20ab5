package ai.attune.examples;

import static ai.attune.examples.AttuneCliTest.data;
import static ai.attune.examples.AttuneCliTest.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.safetensors.SafetensorsCheckpoint;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code attune forward} on the tiny Llama (sharded, llama3 rope) and Qwen2 (tied) fixtures. */
@Tag("e2e")
class DecoderCliTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"llama3-tiny", "qwen2-tiny"})
  void forwardWritesTheLogitsAndLossesOfTheReference(String name) {
    Path model = data(name);
    Path reference = model.resolve("reference.safetensors");
    Path out = tmp.resolve(name + ".safetensors");
    int code =
        AttuneCli.run(
            "forward",
            "--model",
            model.toString(),
            "--inputs",
            reference.toString(),
            "--out",
            out.toString(),
            "--device",
            "cpu");
    assertThat(code).isZero();
    try (SafetensorsCheckpoint got = SafetensorsCheckpoint.open(out);
        SafetensorsCheckpoint ref = SafetensorsCheckpoint.open(reference)) {
      assertThat(got.info("logits").shape()).containsExactly(3, 12, 512);
      float logits = maxAbsDiff(got.read("logits").toFloats(), ref.read("logits").toFloats());
      float loss =
          maxAbsDiff(
              got.read("per_example_loss").toFloats(), ref.read("per_example_loss").toFloats());
      System.out.printf(
          "%s forward CLI: logits max abs diff %.3g, loss %.3g%n", name, logits, loss);
      assertThat(logits).isLessThan(1e-4f);
      assertThat(loss).isLessThan(1e-5f);
    }
  }
}
