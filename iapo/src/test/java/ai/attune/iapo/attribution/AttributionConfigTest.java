package ai.attune.iapo.attribution;

import static ai.attune.models.qwen2vl.chat.BlockKind.QUESTION;
import static ai.attune.models.qwen2vl.chat.BlockKind.SYSTEM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.iapo.attribution.AttributionConfig.Method;
import ai.attune.iapo.attribution.AttributionConfig.Normalization;
import ai.attune.iapo.attribution.AttributionConfig.ScoreSign;
import ai.attune.iapo.attribution.AttributionConfig.TargetKind;
import ai.attune.models.attribution.TokenRange;
import ai.attune.models.qwen2vl.chat.RenderedPrompt.TokenSpan;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Config defaults and validation, baselines, rollout inputs and tool-call search. */
@Tag("pure")
class AttributionConfigTest {

  @Test
  void defaultsAreTheSpecs() {
    AttributionConfig c = AttributionConfig.defaults();
    assertThat(c.method()).isEqualTo(Method.INTEGRATED_GRADIENTS);
    assertThat(c.steps()).isEqualTo(8);
    assertThat(c.baseline().isZeros()).isTrue();
    assertThat(c.scores()).isEqualTo(ScoreSign.ABSOLUTE);
    assertThat(c.normalization()).isEqualTo(Normalization.ABS_SUM);
    assertThat(c.target()).isEqualTo(TargetKind.TOOL_CALL);
    AlignmentConfig a = AlignmentConfig.defaults();
    assertThat(a.divergence()).isEqualTo(Divergence.KL_TEACHER_STUDENT);
    assertThat(a.epsilon()).isEqualTo(1e-6);
  }

  @Test
  void gradientTimesInputIsOneStepFromZerosOnly() {
    AttributionConfig g = AttributionConfig.gradientTimesInput();
    assertThat(g.steps()).isEqualTo(1);
    assertThatThrownBy(
            () ->
                new AttributionConfig(
                    Method.GRADIENT_X_INPUT,
                    1,
                    1,
                    Baseline.padEmbedding(),
                    ScoreSign.ABSOLUTE,
                    Normalization.ABS_SUM,
                    TargetKind.TOOL_CALL))
        .hasMessage("baseline: gxi uses the zero baseline, got pad");
    assertThatThrownBy(
            () ->
                new AttributionConfig(
                    Method.GRADIENT_X_INPUT,
                    8,
                    1,
                    Baseline.zeros(),
                    ScoreSign.ABSOLUTE,
                    Normalization.ABS_SUM,
                    TargetKind.TOOL_CALL))
        .hasMessage("steps: gxi is integrated gradients with 1 step; set steps: 1 (got 8)");
    assertThatThrownBy(() -> AttributionConfig.integratedGradients(0, Baseline.zeros()))
        .hasMessage("steps: must be >= 1, got 0");
    assertThatThrownBy(() -> AttributionConfig.defaults().withStepsPerPass(0))
        .hasMessage("steps_per_pass: must be >= 1, got 0");
  }

  @Test
  void optionsParseFromTheirConfigNames() {
    assertThat(Method.parse("gradient_x_input")).isEqualTo(Method.GRADIENT_X_INPUT);
    assertThat(ScoreSign.parse("signed")).isEqualTo(ScoreSign.SIGNED);
    assertThat(Normalization.parse("softmax")).isEqualTo(Normalization.SOFTMAX);
    assertThat(TargetKind.parse("response")).isEqualTo(TargetKind.RESPONSE);
    assertThatThrownBy(() -> Normalization.parse("l1"))
        .hasMessage("unknown normalisation 'l1': use one of abs_sum, softmax");
    assertThat(Baseline.parse("zeros")).isEqualTo(Baseline.zeros());
    assertThat(Baseline.parse("pad")).isEqualTo(Baseline.padEmbedding());
    assertThat(Baseline.parse("token:9")).isEqualTo(Baseline.tokenEmbedding(9));
    assertThat(Baseline.tokenEmbedding(9)).hasToString("token:9");
    assertThatThrownBy(() -> Baseline.parse("token:x")).hasMessageContaining("integer id");
    assertThatThrownBy(() -> Baseline.parse("mean")).hasMessageContaining("use zeros, pad");
  }

  @Test
  void rolloutInputsSelectTheirTargetAndRefuseOverlaps() {
    long[] ids = {1, 20, 21, 2, 1, 7, 30, 8, 2};
    List<TokenSpan> blocks = List.of(new TokenSpan(SYSTEM, 1, 3));
    AttributionInput in =
        new AttributionInput(
            ids, blocks, List.of(new TokenRange(5, 8)), List.of(new TokenRange(5, 9)), List.of());
    assertThat(in.targets(TargetKind.TOOL_CALL)).containsExactly(new TokenRange(5, 8));
    assertThat(in.targets(TargetKind.RESPONSE)).containsExactly(new TokenRange(5, 9));
    AttributionInput noCall =
        new AttributionInput(ids, blocks, List.of(), List.of(new TokenRange(5, 9)), List.of());
    assertThatThrownBy(() -> noCall.targets(TargetKind.TOOL_CALL))
        .hasMessageContaining("no tool_call tokens");
    assertThatThrownBy(() -> AttributionInput.text(ids, blocks, List.of(new TokenRange(2, 4))))
        .hasMessage(
            "tool-call tokens [2, 4) overlap input block TokenSpan[kind=SYSTEM, start=1,"
                + " end=3]");
    assertThatThrownBy(
            () ->
                AttributionInput.text(
                    ids,
                    List.of(new TokenSpan(SYSTEM, 0, 3), new TokenSpan(QUESTION, 2, 4)),
                    List.of(new TokenRange(5, 8))))
        .hasMessageContaining("overlap");
    assertThatThrownBy(() -> AttributionInput.text(ids, blocks, List.of(new TokenRange(5, 10))))
        .hasMessageContaining("must lie in [1, 9)");
  }

  @Test
  void toolCallsAreFoundTagToTagInsideTheResponse() {
    ToolCallTokens tags = new ToolCallTokens(7, 8);
    //            0  1  2  3  4  5  6   7  8  9  10  11 12
    long[] ids = {7, 30, 8, 1, 40, 7, 31, 8, 41, 7, 32, 33, 2};
    assertThat(tags.find(ids, new TokenRange(3, 13)))
        .containsExactly(new TokenRange(5, 8), new TokenRange(9, 13));
    assertThat(tags.find(ids, new TokenRange(3, 5))).isEmpty();
  }
}
