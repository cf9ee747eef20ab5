package ai.attune.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.safetensors.SafetensorsCheckpoint;
import ai.attune.testsupport.FixturePaths;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end on the bundled tiny OPT. */
@Tag("e2e")
class AttuneCliTest {
  @TempDir Path tmp;

  static Path data(String name) {
    return FixturePaths.of(name);
  }

  static float maxAbsDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    float m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  @Test
  void forwardWritesLogitsAndLossesOfTheReference() {
    Path model = data("opt-tiny");
    Path out = tmp.resolve("out.safetensors");
    int code =
        AttuneCli.run(
            "forward",
            "--model",
            model.toString(),
            "--inputs",
            model.resolve("reference.safetensors").toString(),
            "--out",
            out.toString(),
            "--device",
            "cpu");
    assertThat(code).isZero();
    try (SafetensorsCheckpoint got = SafetensorsCheckpoint.open(out);
        SafetensorsCheckpoint ref =
            SafetensorsCheckpoint.open(model.resolve("reference.safetensors"))) {
      assertThat(got.info("logits").shape()).containsExactly(3, 12, 512);
      assertThat(maxAbsDiff(got.read("logits").toFloats(), ref.read("logits").toFloats()))
          .isLessThan(1e-4f);
      assertThat(
              maxAbsDiff(
                  got.read("per_example_loss").toFloats(), ref.read("per_example_loss").toFloats()))
          .isLessThan(1e-5f);
    }
  }

  @Test
  void generateWritesTheGreedySequences() {
    Path model = data("opt-tiny");
    Path prompt = tmp.resolve("prompt.safetensors");
    try (SafetensorsCheckpoint ref =
        SafetensorsCheckpoint.open(model.resolve("reference.safetensors"))) {
      ai.attune.core.safetensors.SafetensorsWriter.write(
          prompt,
          java.util.List.of(ref.read("generate_prompt").withName("input_ids")),
          java.util.Map.of());
    }
    Path out = tmp.resolve("seq.safetensors");
    assertThat(
            AttuneCli.run(
                "generate",
                "--model",
                model.toString(),
                "--inputs",
                prompt.toString(),
                "--max-new-tokens",
                "8",
                "--out",
                out.toString()))
        .isZero();
    try (SafetensorsCheckpoint got = SafetensorsCheckpoint.open(out);
        SafetensorsCheckpoint ref =
            SafetensorsCheckpoint.open(model.resolve("reference.safetensors"))) {
      assertThat(got.read("sequences").toLongs())
          .containsExactly(ref.read("generate_greedy").toLongs());
      assertThat(got.info("logprobs").shape()).containsExactly(1, 8);
      for (float lp : got.read("logprobs").toFloats()) {
        assertThat(lp).isNegative().isGreaterThan(-10f);
      }
    }
  }

  @Test
  void seededSamplingIsReproducibleFromTheCommandLine() {
    Path model = data("opt-tiny");
    Path prompt = tmp.resolve("prompt.safetensors");
    try (SafetensorsCheckpoint ref =
        SafetensorsCheckpoint.open(model.resolve("reference.safetensors"))) {
      ai.attune.core.safetensors.SafetensorsWriter.write(
          prompt,
          java.util.List.of(ref.read("generate_prompt").withName("input_ids")),
          java.util.Map.of());
    }
    long[][] seqs = new long[3][];
    for (int i = 0; i < 3; i++) {
      Path out = tmp.resolve("sampled" + i + ".safetensors");
      String seed = i < 2 ? "5" : "6";
      assertThat(
              AttuneCli.run(
                  "generate",
                  "--model",
                  model.toString(),
                  "--inputs",
                  prompt.toString(),
                  "--max-new-tokens",
                  "8",
                  "--temperature",
                  "1",
                  "--top-k",
                  "50",
                  "--top-p",
                  "0.95",
                  "--seed",
                  seed,
                  "--out",
                  out.toString()))
          .isZero();
      try (SafetensorsCheckpoint got = SafetensorsCheckpoint.open(out)) {
        seqs[i] = got.read("sequences").toLongs();
      }
    }
    assertThat(seqs[1]).containsExactly(seqs[0]);
    assertThat(seqs[2]).isNotEqualTo(seqs[0]);
  }

  @Test
  void promptGenerationPrintsText() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    int code;
    try {
      code =
          AttuneCli.run(
              "generate",
              "--model",
              data("opt-tiny").toString(),
              "--prompt",
              "the chart shows",
              "--max-new-tokens",
              "4");
    } finally {
      System.setOut(old);
    }
    assertThat(code).isZero();
    assertThat(buf.toString(StandardCharsets.UTF_8))
        .startsWith("the chart shows")
        .contains("new tokens: [");
  }

  @Test
  void badInputsGiveClearErrorsAndExitCodes() {
    assertThat(AttuneCli.run("forward", "--model", tmp.toString(), "--inputs", "x", "--out", "y"))
        .isEqualTo(1);
    assertThat(
            AttuneCli.run(
                "forward",
                "--model",
                data("opt-tiny").toString(),
                "--inputs",
                "x",
                "--out",
                "y",
                "--dtype",
                "bfloat16"))
        .isEqualTo(1);
    assertThat(AttuneCli.run("generate", "--model", "m")).isEqualTo(2); // usage error
    assertThat(
            AttuneCli.run(
                "generate",
                "--model",
                data("opt-tiny").toString(),
                "--prompt",
                "hi",
                "--top-p",
                "0"))
        .isEqualTo(1);
  }
}
