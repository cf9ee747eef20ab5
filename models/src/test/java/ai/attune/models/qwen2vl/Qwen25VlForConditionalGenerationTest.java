package ai.attune.models.qwen2vl;

import static ai.attune.models.TestData.maxAbsDiff;
import static ai.attune.models.TestData.referenceFloats;
import static ai.attune.models.TestData.referenceLongs;
import static ai.attune.models.qwen2vl.VlFixture.GRID;
import static ai.attune.models.qwen2vl.VlFixture.MODEL;
import static ai.attune.models.qwen2vl.VlFixture.ids;
import static ai.attune.models.qwen2vl.VlFixture.mropeFloats;
import static ai.attune.models.qwen2vl.VlFixture.mropeLongs;
import static ai.attune.models.qwen2vl.VlFixture.pixels;
import static ai.attune.models.qwen2vl.VlFixture.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.models.CausalLM;
import ai.attune.models.Models;
import ai.attune.models.TestData;
import ai.attune.models.attribution.AttributionTarget;
import ai.attune.models.attribution.InputGradients;
import ai.attune.models.layers.KvCache;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Qwen2.5-VL against the outputs HF transformers computed for the qwen2_5_vl-tiny fixture. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("engine")
class Qwen25VlForConditionalGenerationTest {
  private NDManager root;
  private Qwen25VlForConditionalGeneration vl;

  @BeforeAll
  void load() {
    root = Engines.newManager(DevicePolicy.CPU);
    vl =
        (Qwen25VlForConditionalGeneration) Models.load(VlFixture.dir(), ComputeDtype.FLOAT32, root);
  }

  @AfterAll
  void close() {
    vl.close();
    root.close();
  }

  @Test
  void visionEmbeddingsMatchHf() {
    try (NDManager step = root.newSubManager()) {
      NDArray embeds = vl.visionEmbeddings(pixels(step), GRID);
      assertThat(embeds.getShape()).isEqualTo(new Shape(12, 64));
      double diff = maxAbsDiff(embeds.toFloatArray(), referenceFloats(MODEL, "vision_embeds"));
      report("vision embeddings vs HF", diff);
      assertThat(diff).isLessThan(1e-4);
    }
  }

  /** HF computed the fixture's logits without mm_token_type_ids: image in, text positions. */
  @Test
  void fixtureLogitsMatchHfWithTheImageAtTextPositions() {
    try (NDManager step = root.newSubManager()) {
      NDArray ids = ids(step);
      CausalLM prompt = vl.withImages(ids, ids.onesLike(), pixels(step), GRID);
      float[] logits = vl.forwardEmbeddings(prompt.embed(ids), ids.onesLike(), null).toFloatArray();
      double diff = maxAbsDiff(logits, referenceFloats(MODEL, "logits"));
      report("logits, image at text positions, vs HF reference.safetensors", diff);
      assertThat(diff).isLessThan(1e-4);
    }
  }

  @Test
  void multimodalPositionsAndLogitsMatchHf() {
    try (NDManager step = root.newSubManager()) {
      NDArray ids = ids(step);
      CausalLM prompt = vl.withImages(ids, ids.onesLike(), pixels(step), GRID);
      MropePositions pos = ((Qwen25VlImagePrompt) prompt).positions();
      assertThat(flat(pos.prompt())).containsExactly(mropeLongs("mrope_position_ids"));
      assertThat(pos.ropeDeltas()).containsExactly(mropeLongs("mrope_rope_deltas"));
      float[] logits = prompt.forward(ids, ids.onesLike(), null).toFloatArray();
      double diff = maxAbsDiff(logits, mropeFloats("mrope_logits"));
      report("logits with M-RoPE vs HF", diff);
      assertThat(diff).isLessThan(1e-4);
      double textPositions = maxAbsDiff(logits, referenceFloats(MODEL, "logits"));
      report("M-RoPE logits vs the text-position logits (how much M-RoPE matters)", textPositions);
      assertThat(textPositions).isGreaterThan(1e-3);
    }
  }

  @Test
  void greedyLoopThroughTheViewEqualsHfTokenForToken() {
    long[] expected = mropeLongs("mrope_generate_greedy");
    assertThat(expected).containsExactly(referenceLongs(MODEL, "generate_greedy"));
    try (NDManager gen = root.newSubManager()) {
      NDArray ids = ids(gen);
      CausalLM prompt = vl.withImages(ids, ids.onesLike(), pixels(gen), GRID);
      long[] out = Arrays.copyOf(ids.toLongArray(), 27);
      try (KvCache cache = prompt.newCache(gen)) {
        for (int t = 21; t < 27; t++) {
          try (NDManager step = gen.newSubManager()) {
            NDArray input =
                t == 21 ? ids(step) : step.create(new long[] {out[t - 1]}).reshape(1, 1);
            NDArray mask = step.ones(new Shape(1, t), DataType.INT64);
            NDArray logits = prompt.forward(input, mask, cache);
            long last = logits.getShape().get(1) - 1;
            out[t] = logits.get(":, " + last + ", :").argMax(-1).toLongArray()[0];
          }
        }
        assertThat(cache.length()).isEqualTo(26);
      }
      assertThat(out).containsExactly(expected);
    }
  }

  @Test
  void sharedGreedyGeneratorOnTheViewEqualsHf() {
    try (NDManager step = root.newSubManager()) {
      NDArray ids = ids(step);
      CausalLM prompt = vl.withImages(ids, ids.onesLike(), pixels(step), GRID);
      assertThat(TestData.greedy(prompt, ids, ids.onesLike(), 6))
          .containsExactly(mropeLongs("mrope_generate_greedy"));
    }
  }

  @Test
  void leftPaddedBatchOfTwoPromptsWithThreeImagesMatchesHf() {
    long[][] grids = {{1, 6, 8}, {1, 4, 4}, {1, 2, 4}};
    assertThat(mropeLongs("batch_image_grid_thw")).containsExactly(flat(grids));
    try (NDManager step = root.newSubManager()) {
      NDArray ids = step.create(mropeLongs("batch_input_ids")).reshape(2, 24);
      NDArray mask = step.create(mropeLongs("batch_attention_mask")).reshape(2, 24);
      NDArray pixels = step.create(mropeFloats("batch_pixel_values")).reshape(72, 1176);
      CausalLM batch = vl.withImages(ids, mask, pixels, grids);
      MropePositions pos = ((Qwen25VlImagePrompt) batch).positions();
      assertThat(flat(pos.prompt())).containsExactly(mropeLongs("batch_position_ids"));
      long[] hfDeltas = mropeLongs("batch_rope_deltas"); // relative to the unpadded lengths
      assertThat(pos.ropeDeltas()).containsExactly(hfDeltas[0] - 3, hfDeltas[1]);
      double diff =
          maxAbsDiff(batch.forward(ids, mask, null).toFloatArray(), mropeFloats("batch_logits"));
      report("left-padded two-prompt three-image batch logits vs HF", diff);
      assertThat(diff).isLessThan(1e-4);
      assertThat(TestData.greedy(batch, ids, mask, 4))
          .containsExactly(mropeLongs("batch_generate_greedy"));
    }
  }

  @Test
  void gradientTimesInputThroughTheViewMatchesHf() {
    try (NDManager step = root.newSubManager()) {
      NDArray ids = ids(step);
      CausalLM prompt = vl.withImages(ids, ids.onesLike(), pixels(step), GRID);
      AttributionTarget target = AttributionTarget.tokenLogProb(ids.toLongArray(), 17, 21);
      NDArray embeds = prompt.embed(ids);
      float value =
          target.perRow(prompt.forwardEmbeddings(embeds, ids.onesLike(), null)).toFloatArray()[0];
      assertThat((double) value).isCloseTo(mropeFloats("mrope_attr_target")[0], offset(1e-4));
      float[] attr =
          InputGradients.gradientTimesInput(prompt, embeds, ids.onesLike(), target).toFloatArray();
      float[] expected = mropeFloats("mrope_attr_grad_x_input");
      double diff = maxAbsDiff(attr, expected);
      report("grad x input w.r.t. embeddings with the image vs HF", diff);
      assertThat(diff).isLessThan(1e-4);
      double imageBlock = 0;
      for (int t = 4; t < 16; t++) {
        imageBlock += Math.abs(attr[t]);
      }
      assertThat(imageBlock).as("the image tokens get attribution").isGreaterThan(1e-3);
    }
  }

  @Test
  void integratedGradientsRunTheOnePromptAsABatchOfInterpolatedInputs() {
    try (NDManager step = root.newSubManager()) {
      NDArray ids = ids(step);
      NDArray mask = ids.onesLike();
      CausalLM prompt = vl.withImages(ids, mask, pixels(step), GRID);
      AttributionTarget target = AttributionTarget.tokenLogProb(ids.toLongArray(), 17, 21);
      NDArray embeds = prompt.embed(ids);
      float[] ig =
          InputGradients.integratedGradients(prompt, embeds, null, mask, target, 4).toFloatArray();
      NDArray byHand = step.zeros(new Shape(1, 21));
      for (int k = 1; k <= 4; k++) { // one interpolated input at a time
        NDArray grad = InputGradients.gradient(prompt, embeds.mul(k / 4f), mask, target);
        byHand = byHand.add(grad.mul(embeds).sum(new int[] {2}).div(4f));
      }
      double diff = maxAbsDiff(ig, byHand.toFloatArray());
      report("4-step integrated gradients, batched vs one input at a time", diff);
      assertThat(diff).isLessThan(1e-5);
    }
  }

  @Test
  void mismatchedImageTokenCountFailsClearly() {
    try (NDManager step = root.newSubManager()) {
      long[] ids = referenceLongs(MODEL, "input_ids");
      ids[15] = 40; // one image token fewer
      NDArray input = step.create(ids).reshape(1, 21);
      assertThatThrownBy(() -> vl.withImages(input, input.onesLike(), pixels(step), GRID))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("prompt has 11 image tokens but images give 12 features");
      CausalLM prompt = vl.withImages(ids(step), ids(step).onesLike(), pixels(step), GRID);
      NDArray twoPrompts = ids(step).repeat(0, 2);
      assertThatThrownBy(() -> prompt.embed(twoPrompts))
          .hasMessage("prompt has 24 image tokens but images give 12 features");
    }
  }

  @Test
  void pixelValuesThatDisagreeWithTheGridFailClearly() {
    try (NDManager step = root.newSubManager()) {
      assertThatThrownBy(() -> vl.visionEmbeddings(pixels(step), new long[][] {{1, 6, 6}}))
          .hasMessageContaining("pixel values have shape (48, 1176), the grids need [36, 1176]");
      assertThatThrownBy(() -> vl.visionEmbeddings(pixels(step), new long[][] {{1, 5, 8}}))
          .hasMessageContaining("positive multiples of 2");
    }
  }

  private static long[] flat(long[][][] a) {
    return Arrays.stream(a).flatMap(Arrays::stream).flatMapToLong(Arrays::stream).toArray();
  }

  private static long[] flat(long[][] a) {
    return Arrays.stream(a).flatMapToLong(Arrays::stream).toArray();
  }
}
