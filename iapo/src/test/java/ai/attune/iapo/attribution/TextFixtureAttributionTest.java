package ai.attune.iapo.attribution;

import static ai.attune.models.qwen2vl.chat.BlockKind.QUESTION;
import static ai.attune.models.qwen2vl.chat.BlockKind.SYSTEM;
import static ai.attune.models.qwen2vl.chat.BlockKind.TOOLS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.iapo.attribution.AttributionConfig.Normalization;
import ai.attune.iapo.attribution.AttributionConfig.ScoreSign;
import ai.attune.models.CausalLM;
import ai.attune.models.Models;
import ai.attune.models.attribution.AttributionTarget;
import ai.attune.models.attribution.InputGradients;
import ai.attune.models.attribution.TokenRange;
import ai.attune.models.qwen2vl.chat.RenderedPrompt.TokenSpan;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Block attribution of the text fixtures against HF: row 0 of the reference input ids, target
 * Σ_{j=6..11} log p(ids[j] | ids[:j]), arbitrary blocks over the first six tokens.
 */
@Tag("engine")
class TextFixtureAttributionTest {
  private static final String REF = "reference.safetensors";
  private static final List<TokenSpan> BLOCKS =
      List.of(
          new TokenSpan(SYSTEM, 0, 2), new TokenSpan(TOOLS, 2, 3), new TokenSpan(QUESTION, 3, 6));
  private static final List<TokenRange> TARGET = List.of(new TokenRange(6, 12));

  private static long[] ids(String model) {
    return Arrays.copyOf(Fixtures.longs(model, REF, "input_ids"), 12);
  }

  @ParameterizedTest
  @ValueSource(strings = {"opt-tiny", "llama3-tiny", "qwen2-tiny"})
  void tokenScoresMatchHfAndBlocksSumThem(String name) {
    long[] ids = ids(name);
    float[] wantGxi = Fixtures.floats(name, REF, "attr_grad_x_input");
    float[] wantIg =
        Fixtures.floats(name, REF, "attr_integrated_gradients_zero_baseline_8_right_riemann");
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM model = Models.load(Fixtures.dir(name), ComputeDtype.FLOAT32, root)) {
      AttributionResult gxi =
          new BlockAttribution(AttributionConfig.gradientTimesInput())
              .attribute(model, AttributionInput.text(ids, BLOCKS, TARGET), root);
      AttributionResult ig =
          new BlockAttribution(AttributionConfig.defaults())
              .attribute(model, ids, BLOCKS, TARGET, root);
      double relGxi = Fixtures.assertRelativelyClose(gxi.tokenScores(), wantGxi);
      double relIg = Fixtures.assertRelativelyClose(ig.tokenScores(), wantIg);
      System.out.printf(
          "%s grad x input: max abs diff %.3g, max rel %.3g; 8-step IG: max abs"
              + " diff %.3g, max rel %.3g; target log-prob %.6f%n",
          name,
          Fixtures.maxAbsDiff(gxi.tokenScores(), wantGxi),
          relGxi,
          Fixtures.maxAbsDiff(ig.tokenScores(), wantIg),
          relIg,
          ig.targetLogProb());
      assertThat(ig.blockScores().get(SYSTEM))
          .isCloseTo(Math.abs(wantIg[0]) + Math.abs(wantIg[1]), within(1e-4));
      assertThat(ig.blockScores().get(QUESTION))
          .isCloseTo(Math.abs(wantIg[3]) + Math.abs(wantIg[4]) + Math.abs(wantIg[5]), within(1e-4));
      assertThat(ig.distribution().kinds()).containsExactly(SYSTEM, QUESTION, TOOLS);
      assertThat(Fixtures.sum(ig.distribution().probabilities().values()))
          .isCloseTo(1, within(1e-12));
      assertThat(gxi.targetLogProb()).isEqualTo(ig.targetLogProb(), within(1e-5)).isNegative();
      assertThat(root.getManagedArrays()).hasSize(model.parameters().parameters().size());
    }
  }

  @Test
  void signedSoftmaxAndPassSizeOptions() {
    long[] ids = ids("qwen2-tiny");
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM model = Models.load(Fixtures.dir("qwen2-tiny"), ComputeDtype.FLOAT32, root)) {
      AttributionResult abs =
          new BlockAttribution(AttributionConfig.defaults())
              .attribute(model, ids, BLOCKS, TARGET, root);
      AttributionConfig signedSoftmax =
          AttributionConfig.defaults()
              .withScores(ScoreSign.SIGNED)
              .withNormalization(Normalization.SOFTMAX)
              .withStepsPerPass(3);
      AttributionResult signed =
          new BlockAttribution(signedSoftmax).attribute(model, ids, BLOCKS, TARGET, root);
      float[] s = signed.tokenScores();
      assertThat(Fixtures.maxAbsDiff(s, abs.tokenScores())).isLessThan(1e-6);
      assertThat(signed.blockScores().get(QUESTION)).isCloseTo(s[3] + s[4] + s[5], within(1e-6));
      assertThat(abs.blockScores().get(QUESTION))
          .isCloseTo(Math.abs(s[3]) + Math.abs(s[4]) + Math.abs(s[5]), within(1e-6));
      double z = signed.blockScores().values().stream().mapToDouble(Math::exp).sum();
      assertThat(signed.distribution().get(TOOLS))
          .isCloseTo(Math.exp(signed.blockScores().get(TOOLS)) / z, within(1e-12));
      assertThat(Fixtures.sum(signed.distribution().probabilities().values()))
          .isCloseTo(1, within(1e-12));
      System.out.printf(
          "qwen2-tiny blocks: absolute %s -> %s; signed %s -> softmax %s%n",
          abs.blockScores(),
          abs.distribution().probabilities(),
          signed.blockScores(),
          signed.distribution().probabilities());
    }
  }

  /**
   * OPT's pad row is zero (HF zeroes the {@code padding_idx} row), so the pad baseline gives the
   * zero baseline's scores; another token's embedding gives what integrated gradients from that
   * baseline give by hand.
   */
  @Test
  void tokenEmbeddingBaselinesFillEveryPosition() {
    long[] ids = ids("opt-tiny");
    float[] zero =
        Fixtures.floats("opt-tiny", REF, "attr_integrated_gradients_zero_baseline_8_right_riemann");
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM model = Models.load(Fixtures.dir("opt-tiny"), ComputeDtype.FLOAT32, root)) {
      assertThat(model.info().padTokenId()).isEqualTo(1);
      AttributionResult pad =
          new BlockAttribution(AttributionConfig.integratedGradients(8, Baseline.padEmbedding()))
              .attribute(model, ids, BLOCKS, TARGET, root);
      Fixtures.assertRelativelyClose(pad.tokenScores(), zero);
      AttributionResult nine =
          new BlockAttribution(AttributionConfig.integratedGradients(8, Baseline.tokenEmbedding(9)))
              .attribute(model, ids, BLOCKS, TARGET, root);
      float[] byHand;
      try (NDManager step = root.newSubManager()) {
        NDArray input = step.create(ids).reshape(1, 12);
        long[] nines = new long[12];
        Arrays.fill(nines, 9);
        NDArray baseline = model.embed(step.create(nines).reshape(1, 12));
        byHand =
            InputGradients.integratedGradients(
                    model,
                    model.embed(input),
                    baseline,
                    input.onesLike(),
                    AttributionTarget.tokenLogProb(ids, 6, 12),
                    8)
                .toFloatArray();
      }
      assertThat(Fixtures.maxAbsDiff(nine.tokenScores(), byHand)).isLessThan(1e-6);
      double moved = Fixtures.maxAbsDiff(nine.tokenScores(), zero);
      System.out.printf(
          "opt-tiny IG from the embedding of token 9 vs from zeros: max abs diff" + " %.3g%n",
          moved);
      assertThat(moved).as("the baseline matters").isGreaterThan(1e-3);
      assertThatThrownBy(
              () ->
                  new BlockAttribution(
                          AttributionConfig.integratedGradients(8, Baseline.tokenEmbedding(512)))
                      .attribute(model, ids, BLOCKS, TARGET, root))
          .hasMessage(
              "baseline token 512 is not in the model's vocabulary of 512 (use"
                  + " token:<id> or zeros)");
    }
  }

  @Test
  void theResponseTargetCoversSeveralRangesAndBlocksAfterItAreDropped() {
    long[] ids = ids("llama3-tiny");
    try (NDManager root = Engines.newManager(DevicePolicy.CPU);
        CausalLM model = Models.load(Fixtures.dir("llama3-tiny"), ComputeDtype.FLOAT32, root)) {
      // Tool call [6, 8), a tool output block [8, 10), then the rest of the response [10, 12).
      List<TokenSpan> blocks =
          List.of(
              new TokenSpan(SYSTEM, 0, 3),
              new TokenSpan(QUESTION, 3, 6),
              new TokenSpan(TOOLS, 8, 10));
      AttributionInput in =
          new AttributionInput(
              ids,
              blocks,
              List.of(new TokenRange(6, 8)),
              List.of(new TokenRange(6, 8), new TokenRange(10, 12)),
              List.of());
      BlockAttribution toolCall = new BlockAttribution(AttributionConfig.gradientTimesInput());
      AttributionResult call = toolCall.attribute(model, in, root);
      assertThat(call.length()).isEqualTo(8);
      assertThat(call.blockScores()).containsOnlyKeys(SYSTEM, QUESTION);
      AttributionResult response =
          new BlockAttribution(
                  AttributionConfig.gradientTimesInput()
                      .withTarget(AttributionConfig.TargetKind.RESPONSE))
              .attribute(model, in, root);
      assertThat(response.length()).isEqualTo(12);
      assertThat(response.blockScores()).containsOnlyKeys(SYSTEM, QUESTION, TOOLS);
      assertThat(response.targetLogProb()).isLessThan(call.targetLogProb());
      assertThat(Fixtures.sum(response.distribution().probabilities().values()))
          .isCloseTo(1, within(1e-12));
    }
  }
}
