package ai.attune.examples;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.safetensors.SafetensorsCheckpoint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** forward and generate with images on the tiny Qwen2.5-VL checkpoint. */
@Tag("e2e")
class VisionLanguageCliTest {
  @TempDir Path tmp;

  @Test
  void forwardTakesPixelValuesAndGridAndGivesHfMropeLogits() {
    Path model = AttuneCliTest.data("qwen2_5_vl-tiny");
    Path out = tmp.resolve("out.safetensors");
    assertThat(
            AttuneCli.run(
                "forward",
                "--model",
                model.toString(),
                "--inputs",
                model.resolve("reference.safetensors").toString(),
                "--out",
                out.toString()))
        .isZero();
    try (SafetensorsCheckpoint got = SafetensorsCheckpoint.open(out);
        SafetensorsCheckpoint ref =
            SafetensorsCheckpoint.open(model.resolve("reference_mrope.safetensors"))) {
      assertThat(
              AttuneCliTest.maxAbsDiff(
                  got.read("logits").toFloats(), ref.read("mrope_logits").toFloats()))
          .isLessThan(1e-4f);
    }
  }

  @Test
  void generateRendersTheChatWithTheImageAndPrintsTheAnswer() {
    Path model = AttuneCliTest.data("qwen2_5_vl-tiny");
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    int code;
    try {
      code =
          AttuneCli.run(
              "generate",
              "--model",
              model.toString(),
              "--prompt",
              "which bar is highest?",
              "--image",
              model.resolve("image.png").toString(),
              "--show-prompt",
              "--max-new-tokens",
              "4");
    } finally {
      System.setOut(old);
    }
    String text = buf.toString(StandardCharsets.UTF_8);
    assertThat(code).isZero();
    assertThat(text)
        .contains("<|im_start|>user\n<|vision_start|>")
        .contains("<|image_pad|>".repeat(12) + "<|vision_end|>which bar is highest?")
        .contains("<|im_start|>assistant\n")
        .contains("answer: ");
  }

  @Test
  void imagesOnATextModelAreRefused() {
    Path opt = AttuneCliTest.data("opt-tiny");
    assertThat(
            AttuneCli.run(
                "generate",
                "--model",
                opt.toString(),
                "--prompt",
                "x",
                "--image",
                AttuneCliTest.data("qwen2_5_vl-tiny").resolve("image.png").toString()))
        .isEqualTo(1);
  }
}
