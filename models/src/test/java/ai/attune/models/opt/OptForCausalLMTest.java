package ai.attune.models.opt;

import static ai.attune.models.TestData.maxAbsDiff;
import static ai.attune.models.TestData.referenceFloats;
import static ai.attune.models.TestData.referenceLongs;
import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.models.CausalLM;
import ai.attune.models.LanguageModelLoss;
import ai.attune.models.Models;
import ai.attune.models.TestData;
import ai.attune.models.generation.GenerationConfig;
import ai.attune.models.generation.Generator;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** OPT against the logits, losses and generations HF transformers computed for opt-tiny. */
@Tag("engine")
class OptForCausalLMTest {
  static final String MODEL = "opt-tiny";
  static NDManager root;
  static CausalLM lm;

  @BeforeAll
  static void load() {
    root = Engines.newManager(DevicePolicy.CPU);
    lm = Models.load(TestData.dir(MODEL), ComputeDtype.FLOAT32, root);
  }

  @AfterAll
  static void close() {
    lm.close();
    root.close();
  }

  static NDArray ids(NDManager m) {
    return m.create(referenceLongs(MODEL, "input_ids")).reshape(3, 12);
  }

  static NDArray mask(NDManager m) {
    return m.create(referenceLongs(MODEL, "attention_mask")).reshape(3, 12);
  }

  @Test
  void logitsMatchHfForEveryRowIncludingPadding() {
    try (NDManager step = root.newSubManager()) {
      float[] logits = lm.forward(ids(step), mask(step), null).toFloatArray();
      assertThat(maxAbsDiff(logits, referenceFloats(MODEL, "logits"))).isLessThan(1e-4);
    }
  }

  @Test
  void perExampleLossMatchesHf() {
    try (NDManager step = root.newSubManager()) {
      NDArray logits = lm.forward(ids(step), mask(step), null);
      float[] loss = LanguageModelLoss.perExample(logits, ids(step), mask(step)).toFloatArray();
      assertThat(maxAbsDiff(loss, referenceFloats(MODEL, "per_example_loss"))).isLessThan(1e-5);
    }
  }

  @Test
  void greedyGenerationEqualsHfTokenForToken() {
    try (NDManager step = root.newSubManager()) {
      long[] prompt = referenceLongs(MODEL, "generate_prompt");
      NDArray input = step.create(prompt).reshape(1, prompt.length);
      long[] seq =
          new Generator(lm)
              .generate(input, input.onesLike(), GenerationConfig.greedy(8))
              .sequences()[0];
      assertThat(seq).containsExactly(referenceLongs(MODEL, "generate_greedy"));
    }
  }

  @Test
  void cachedDecodingGivesTheSameLogitsAsAFullPass() {
    try (NDManager step = root.newSubManager();
        var cache = lm.newCache(step)) {
      NDArray ids = ids(step);
      NDArray mask = mask(step);
      float[] full = lm.forward(ids, mask, null).get(":, 11:, :").toFloatArray();
      lm.forward(ids.get(":, :11"), mask.get(":, :11"), cache);
      float[] last = lm.forward(ids.get(":, 11:"), mask, cache).toFloatArray();
      assertThat(maxAbsDiff(full, last)).isLessThan(1e-5);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"opt-tiny-postln-proj", "opt-tiny-proj-gelu"})
  void postLayerNormAndProjectedVariantsMatchHf(String variant) {
    try (NDManager step = root.newSubManager();
        CausalLM model = Models.load(TestData.dir(variant), ComputeDtype.FLOAT32, step)) {
      NDArray ids = step.create(referenceLongs(variant, "input_ids")).reshape(3, 12);
      NDArray mask = step.create(referenceLongs(variant, "attention_mask")).reshape(3, 12);
      NDArray logits = model.forward(ids, mask, null);
      assertThat(maxAbsDiff(logits.toFloatArray(), referenceFloats(variant, "logits")))
          .isLessThan(1e-4);
      float[] loss = LanguageModelLoss.perExample(logits, ids, mask).toFloatArray();
      assertThat(maxAbsDiff(loss, referenceFloats(variant, "per_example_loss"))).isLessThan(1e-5);
      long[] prompt = referenceLongs(variant, "generate_prompt");
      NDArray input = step.create(prompt).reshape(1, prompt.length);
      long[] seq =
          new Generator(model)
              .generate(input, input.onesLike(), GenerationConfig.greedy(8))
              .sequences()[0];
      assertThat(seq).containsExactly(referenceLongs(variant, "generate_greedy"));
    }
  }

  @Test
  void checkpointNamesOfTheBareModelMap() {
    assertThat(OptForCausalLM.mapCheckpointName("decoder.layers.0.fc1.weight"))
        .contains("model.decoder.layers.0.fc1.weight");
    assertThat(OptForCausalLM.mapCheckpointName("lm_head.weight")).contains("lm_head.weight");
    assertThat(OptForCausalLM.mapCheckpointName("score.weight")).isEmpty();
  }
}
