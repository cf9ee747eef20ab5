package ai.attune.iapo.attribution;

import static ai.attune.models.qwen2vl.chat.BlockKind.IMAGE;
import static ai.attune.models.qwen2vl.chat.BlockKind.QUESTION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.models.CausalLM;
import ai.attune.models.Models;
import ai.attune.models.attribution.TokenRange;
import ai.attune.models.qwen2vl.ProcessedImage;
import ai.attune.models.qwen2vl.Qwen25VlForConditionalGeneration;
import ai.attune.models.qwen2vl.chat.RenderedPrompt.TokenSpan;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Block attribution through Qwen2.5-VL's image-bound view against HF's M-RoPE reference: the
 * fixture prompt (3 text tokens, 12 image pads between the vision tags, 4 text tokens), target
 * Σ_{j=17..20} log p(ids[j] | ids[:j]).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("engine")
class VlAttributionTest {
  private static final String MROPE = "reference_mrope.safetensors";
  private static final List<TokenSpan> BLOCKS =
      List.of(
          new TokenSpan(QUESTION, 0, 3),
          new TokenSpan(IMAGE, 4, 16),
          new TokenSpan(QUESTION, 16, 17));
  private static final List<TokenRange> TARGET = List.of(new TokenRange(17, 21));

  private NDManager root;
  private Qwen25VlForConditionalGeneration vl;

  @BeforeAll
  void load() {
    root = Engines.newManager(DevicePolicy.CPU);
    vl =
        (Qwen25VlForConditionalGeneration)
            Models.load(Fixtures.dir(Fixtures.VL), ComputeDtype.FLOAT32, root);
  }

  @AfterAll
  void close() {
    vl.close();
    root.close();
  }

  @Test
  void gradientTimesInputThroughTheViewMatchesHf() {
    long[] ids = Fixtures.longs(Fixtures.VL, "reference.safetensors", "input_ids");
    float[] want = Fixtures.floats(Fixtures.VL, MROPE, "mrope_attr_grad_x_input");
    double wantTarget = Fixtures.floats(Fixtures.VL, MROPE, "mrope_attr_target")[0];
    BlockAttribution gxi = new BlockAttribution(AttributionConfig.gradientTimesInput());
    AttributionResult bound;
    try (NDManager images = root.newSubManager()) { // the view's image tokens live here
      NDArray input = images.create(ids).reshape(1, 21);
      ProcessedImage image = Fixtures.vlImage();
      CausalLM view =
          vl.withImages(
              input, input.onesLike(), image.toNDArray(images), new long[][] {image.gridThw()});
      bound = gxi.attribute(view, ids, BLOCKS, TARGET, images);
    }
    AttributionResult bindsItself =
        gxi.attribute(
            vl,
            new AttributionInput(ids, BLOCKS, TARGET, TARGET, List.of(Fixtures.vlImage())),
            root);
    double rel = Fixtures.assertRelativelyClose(bound.tokenScores(), want);
    Fixtures.assertRelativelyClose(bindsItself.tokenScores(), want);
    assertThat(bindsItself.tokenScores()).containsExactly(bound.tokenScores());
    assertThat(bound.targetLogProb()).isCloseTo(wantTarget, within(1e-4));
    double image = 0;
    for (int t = 4; t < 16; t++) {
      image += Math.abs(want[t]);
    }
    assertThat(bound.blockScores().get(IMAGE)).isCloseTo(image, within(1e-5));
    assertThat(bound.distribution().kinds()).containsExactly(QUESTION, IMAGE);
    assertThat(Fixtures.sum(bound.distribution().probabilities().values()))
        .isCloseTo(1, within(1e-12));
    System.out.printf(
        "qwen2_5_vl-tiny M-RoPE grad x input vs HF: max abs diff %.3g, max rel"
            + " %.3g; target %.6f vs HF %.6f; distribution %s%n",
        Fixtures.maxAbsDiff(bound.tokenScores(), want),
        rel,
        bound.targetLogProb(),
        wantTarget,
        bound.distribution().probabilities());
    assertThat(root.getManagedArrays()).hasSize(vl.parameters().parameters().size());
  }

  @Test
  void modelsThatCannotTakeTheRolloutAreRefusedClearly() {
    long[] ids = Fixtures.longs(Fixtures.VL, "reference.safetensors", "input_ids");
    AttributionInput withImage =
        new AttributionInput(ids, BLOCKS, TARGET, TARGET, List.of(Fixtures.vlImage()));
    assertThatThrownBy(
            () ->
                new BlockAttribution(
                        AttributionConfig.integratedGradients(8, Baseline.padEmbedding()))
                    .attribute(vl, withImage, root))
        .hasMessage(
            "baseline token 151645 (the pad token of qwen2_5_vl) is not in the model's"
                + " vocabulary of 512 (use token:<id> or zeros)");
    try (CausalLM text = Models.load(Fixtures.dir("qwen2-tiny"), ComputeDtype.FLOAT32, root)) {
      assertThatThrownBy(
              () ->
                  new BlockAttribution(AttributionConfig.defaults())
                      .attribute(text, withImage, root))
          .hasMessage(
              "the rollout has 1 image(s) but qwen2 is not a vision-language model"
                  + " (Qwen2.5-VL)");
    }
    assertThat(root.getManagedArrays()).hasSize(vl.parameters().parameters().size());
  }
}
