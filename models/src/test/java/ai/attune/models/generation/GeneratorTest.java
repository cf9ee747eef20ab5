package ai.attune.models.generation;

import static ai.attune.models.TestData.referenceLongs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.models.CausalLM;
import ai.attune.models.Models;
import ai.attune.models.TestData;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Generation on opt-tiny: seeds, greedy against HF, left-padded batches against single rows. */
@Tag("engine")
class GeneratorTest {
  static final String MODEL = "opt-tiny";
  static final int PAD = 1;
  static NDManager root;
  static CausalLM lm;
  static Generator generator;

  @BeforeAll
  static void load() {
    root = Engines.newManager(DevicePolicy.CPU);
    lm = Models.load(TestData.dir(MODEL), ComputeDtype.FLOAT32, root);
    generator = new Generator(lm);
  }

  @AfterAll
  static void close() {
    lm.close();
    root.close();
  }

  /**
   * Three prompts of width 12 from the reference ids: row 0 cut to 7 tokens and left-padded by 5,
   * row 1 as in the reference (left-padded by 3), row 2 cut to 6 tokens, left-padded by 6.
   */
  static long[][] prompts() {
    long[] ref = referenceLongs(MODEL, "input_ids");
    long[] row0 = Arrays.copyOfRange(ref, 0, 7);
    long[] row1 = Arrays.copyOfRange(ref, 15, 24);
    long[] row2 = Arrays.copyOfRange(ref, 24, 30);
    return new long[][] {row0, row1, row2};
  }

  /** Ids and mask {@code [B, width]} of {@code rows}, left-padded with the pad id. */
  static NDArray[] leftPadded(NDManager m, long[][] rows, int width) {
    long[] ids = new long[rows.length * width];
    long[] mask = new long[rows.length * width];
    for (int b = 0; b < rows.length; b++) {
      int pad = width - rows[b].length;
      Arrays.fill(ids, b * width, b * width + pad, PAD);
      System.arraycopy(rows[b], 0, ids, b * width + pad, rows[b].length);
      Arrays.fill(mask, b * width + pad, (b + 1) * width, 1);
    }
    Shape shape = new Shape(rows.length, width);
    return new NDArray[] {m.create(ids).reshape(shape), m.create(mask).reshape(shape)};
  }

  static GenerationResult run(long[][] rows, GenerationConfig config) {
    try (NDManager m = root.newSubManager()) {
      NDArray[] in = leftPadded(m, rows, 12);
      return generator.generate(in[0], in[1], config);
    }
  }

  static long[][] newTokens(GenerationResult r) {
    long[][] out = new long[r.sequences().length][];
    for (int b = 0; b < out.length; b++) {
      out[b] = r.newTokensOf(b);
    }
    return out;
  }

  @Test
  void aSeedReproducesTheTokensWhateverTheEngineDrawsAndOtherSeedsDiffer() {
    GenerationConfig c =
        GenerationConfig.builder()
            .setMaxNewTokens(8)
            .optTemperature(1.0)
            .optSeed(42)
            .optStopTokenIds(List.of())
            .build();
    GenerationResult first = run(prompts(), c);
    Engine.getInstance().setRandomSeed(7);
    try (NDManager m = root.newSubManager()) {
      m.randomUniform(0, 1, new Shape(1000)).toFloatArray(); // moves the engine's generator
    }
    GenerationResult again = run(prompts(), c);
    GenerationResult other = run(prompts(), c.toBuilder().optSeed(43).build());
    assertThat(again.sequences()).isDeepEqualTo(first.sequences());
    assertThat(first.steps()).isEqualTo(8);
    for (int b = 0; b < 3; b++) {
      assertThat(other.newTokensOf(b))
          .as("row %d with another seed", b)
          .isNotEqualTo(first.newTokensOf(b));
    }
    // Row b's stream does not depend on the batch size: the first two rows alone match.
    GenerationResult two = run(Arrays.copyOf(prompts(), 2), c);
    assertThat(newTokens(two)).isDeepEqualTo(Arrays.copyOf(newTokens(first), 2));
  }

  @Test
  void temperatureZeroAndNearZeroEqualHfGreedy() {
    long[] prompt = referenceLongs(MODEL, "generate_prompt");
    long[] expected = referenceLongs(MODEL, "generate_greedy");
    for (GenerationConfig c :
        List.of(
            GenerationConfig.greedy(8),
            GenerationConfig.sampling(8, 1e-6, 3),
            GenerationConfig.builder()
                .setMaxNewTokens(8)
                .optTemperature(1e-6)
                .optTopK(5)
                .optTopP(0.5)
                .optSeed(4)
                .build())) {
      try (NDManager m = root.newSubManager()) {
        NDArray ids = m.create(prompt).reshape(1, prompt.length);
        GenerationResult r = generator.generate(ids, ids.onesLike(), c);
        assertThat(r.sequences()[0])
            .as("temperature %s", c.temperature())
            .containsExactly(expected);
        assertThat(r.finishReasons()).containsExactly(FinishReason.LENGTH);
      }
    }
  }

  @Test
  void eachLeftPaddedRowGeneratesAsItWouldAlone() {
    GenerationConfig c =
        GenerationConfig.builder().setMaxNewTokens(8).optReturnLogprobs(true).build();
    long[][] rows = prompts();
    GenerationResult batch = run(rows, c);
    for (int b = 0; b < rows.length; b++) {
      try (NDManager m = root.newSubManager()) {
        NDArray ids = m.create(rows[b]).reshape(1, rows[b].length);
        GenerationResult alone = generator.generate(ids, ids.onesLike(), c);
        assertThat(batch.newTokensOf(b)).as("row %d", b).containsExactly(alone.newTokensOf(0));
        float[] a = Arrays.copyOf(alone.logprobs()[0], alone.newTokens()[0]);
        float[] p = Arrays.copyOf(batch.logprobs()[b], batch.newTokens()[b]);
        double diff = TestData.maxAbsDiff(p, a);
        System.out.printf("row %d: batched vs alone logprobs max abs diff %.3g%n", b, diff);
        assertThat(diff).as("logprobs of row %d", b).isLessThan(1e-4);
      }
    }
    assertThat(batch.samplingLogprobs()).isDeepEqualTo(new float[3][batch.steps()]);
  }

  @Test
  void promptsMustBeLeftPadded() {
    try (NDManager m = root.newSubManager()) {
      NDArray ids = m.create(referenceLongs(MODEL, "input_ids")).reshape(3, 12);
      NDArray mask = m.create(referenceLongs(MODEL, "attention_mask")).reshape(3, 12);
      assertThatThrownBy(() -> generator.generate(ids, mask, GenerationConfig.greedy(2)))
          .hasMessageContaining("attentionMask row 2 is not left-padded");
      assertThatThrownBy(() -> generator.generate(ids, mask.get(":2"), GenerationConfig.greedy(2)))
          .hasMessageContaining("attention_mask has shape (2, 12)");
      GenerationResult r = generator.generate(ids, mask.onesLike(), GenerationConfig.greedy(2));
      assertThatThrownBy(r::logprobs).hasMessageContaining("set returnLogprobs");
    }
  }
}
