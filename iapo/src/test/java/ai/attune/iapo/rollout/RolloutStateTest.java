package ai.attune.iapo.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.iapo.data.VqaExample;
import ai.attune.iapo.grpo.TokenMasks.TokenRole;
import ai.attune.iapo.tools.ToolRegistry;
import ai.attune.models.generation.FinishReason;
import ai.attune.models.qwen2vl.ProcessedImage;
import ai.attune.models.qwen2vl.Qwen2VlImageProcessor;
import ai.attune.models.qwen2vl.chat.BlockKind;
import ai.attune.models.qwen2vl.chat.ToolCallParseError;
import ai.attune.models.text.TextTokenizer;
import ai.attune.testsupport.FixturePaths;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the environment does with one generated turn, without a model: turns are given as text,
 * tokenised, and fed to {@link RolloutState#applyTurn} as a sampler would.
 */
@Tag("engine")
class RolloutStateTest {
  static TextTokenizer tokenizer;
  static Qwen2VlImageProcessor processor;
  static SpecialTokens special;
  static VqaExample example;
  static List<BufferedImage> inputs;

  @BeforeAll
  static void load() {
    Path dir = FixturePaths.of(TinyVl.MODEL);
    tokenizer = TextTokenizer.load(dir);
    processor = Qwen2VlImageProcessor.load(dir);
    special = SpecialTokens.of(tokenizer);
    example = TinyVl.train().get(0); // "What is the value of 2014?", columns 2011..2015
    inputs = example.loadImages();
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  static RolloutState state(int maxTurns) {
    ToolRegistry registry =
        TinyVl.registry().register(new TestTools.Throwing()).register(new TestTools.Speck());
    RolloutConfig config = TinyVl.config(maxTurns, 64);
    Environment env = new Environment(tokenizer, special, registry, processor, config);
    List<ProcessedImage> images = inputs.stream().map(processor::process).toList();
    TrajectoryBuilder prompt = new TrajectoryBuilder(tokenizer, special);
    prompt.appendRendered(
        RolloutPrompts.initial(example.question(), images, config.systemPrompt(), List.of()),
        TokenRole.PROMPT);
    return new RolloutState(0, 0L, example, inputs, prompt, env);
  }

  /** Feeds {@code text} as one generated turn with made-up log-probabilities. */
  static long[] turn(RolloutState s, String text) {
    long[] ids = tokenizer.encode(text);
    float[] lp = new float[ids.length];
    Arrays.fill(lp, -0.5f);
    long last = ids[ids.length - 1];
    boolean stop = last == special.toolCallClose() || last == special.imEnd();
    s.applyTurn(ids, lp, stop ? FinishReason.STOP : FinishReason.LENGTH);
    return ids;
  }

  static String call(String json) {
    return "<tool_call>\n" + json + "\n</tool_call>";
  }

  @Test
  void aGoodCallIsExecutedAndItsImageFedBackAsTheNextTurnsInput() {
    RolloutState s = state(3);
    int promptLength = s.ids().length;
    String text = call("{\"name\": \"highlight\", \"arguments\": {\"columns\": [\"2014\"]}}");
    long[] generated = turn(s, text);
    assertThat(s.active()).isTrue();
    assertThat(s.images()).hasSize(2);
    turn(s, "The bar reads 17.\nFINAL ANSWER: 17<|im_end|>");
    Rollout r = s.finish();

    assertThat(r.end()).isEqualTo(RolloutEnd.FINAL_ANSWER);
    assertThat(r.finalAnswer()).isEqualTo("17");
    assertThat(r.turnCount()).isEqualTo(2);
    ToolCallRecord c = r.toolCalls().get(0);
    assertThat(c.ok()).isTrue();
    assertThat(c.call().name()).isEqualTo("highlight");
    // The call's token range is exactly its generated block.
    assertThat(c.tokenStart()).isEqualTo(promptLength);
    assertThat(c.tokenEnd()).isEqualTo(promptLength + generated.length);
    assertThat(tokenizer.decode(Arrays.copyOfRange(r.ids(), c.tokenStart(), c.tokenEnd())))
        .isEqualTo(text)
        .isEqualTo(c.text());
    // The edited image is the rollout's second image, in the tool-output block.
    assertThat(c.imageIndex()).isEqualTo(1);
    TrajectoryImage fed = r.images().get(1);
    assertThat(fed.block()).isEqualTo(BlockKind.TOOL_OUTPUT);
    assertThat(fed.tokenStart()).isGreaterThan(c.tokenEnd());
    for (int t = fed.tokenStart(); t < fed.tokenEnd(); t++) {
      assertThat(r.ids()[t]).isEqualTo(special.imagePad());
      assertThat(r.roles()[t]).isEqualTo(TokenRole.TOOL_OUTPUT);
      assertThat(r.blocks()[t]).isEqualTo(BlockKind.TOOL_OUTPUT);
    }
    // Roles: prompt, the first turn, the environment piece, the second turn.
    TurnRecord t0 = r.turns().get(0);
    TurnRecord t1 = r.turns().get(1);
    assertThat(t1.tokenStart()).isEqualTo(t0.environmentEnd());
    for (int i = 0; i < r.ids().length; i++) {
      TokenRole expected =
          i < promptLength
              ? TokenRole.PROMPT
              : i < t0.tokenEnd()
                  ? TokenRole.POLICY
                  : i < t0.environmentEnd() ? TokenRole.TOOL_OUTPUT : TokenRole.POLICY;
      assertThat(r.roles()[i]).as("token %d", i).isEqualTo(expected);
      assertThat(r.oldLogprobs()[i]).isEqualTo(expected == TokenRole.POLICY ? -0.5f : 0f);
    }
    String env =
        r.fullText()
            .substring(
                r.fullText().indexOf("</tool_call>") + 12, r.fullText().indexOf("The bar reads"));
    assertThat(env)
        .startsWith(
            "<|im_end|>\n<|im_start|>user\n<tool_response>\n" + "<|vision_start|><|image_pad|>")
        .endsWith(
            "<|vision_end|>Highlighted [139, 6, 179, 168]"
                + " of image 0. The result is image 1.\n</tool_response><|im_end|>\n"
                + "<|im_start|>assistant\n");
    assertThat(tokenizer.decode(r.ids())).isEqualTo(r.fullText());
    assertThat(r.view().toolStats().succeeded()).isEqualTo(1);
    assertThat(r.view().completion())
        .isEqualTo(text + "\nThe bar reads 17.\nFINAL ANSWER: 17" + "<|im_end|>");
  }

  @Test
  void malformedCallsBecomeToolErrorTurnsAndTheRolloutGoesOn() {
    RolloutState s = state(3);
    turn(s, call("{\"name\": \"highlight\", \"arguments\": {\"columns\": [\"2014\"]}"));
    assertThat(s.active()).isTrue();
    turn(s, "no opening tag</tool_call>");
    assertThat(s.active()).isTrue();
    turn(s, "FINAL ANSWER: 17<|im_end|>");
    Rollout r = s.finish();
    assertThat(r.toolCalls())
        .extracting(c -> c.parseError().kind())
        .containsExactly(
            ToolCallParseError.Kind.MALFORMED_JSON, ToolCallParseError.Kind.STRAY_CLOSING_TAG);
    assertThat(r.fullText())
        .contains("<tool_response>\nError: the tool call is not valid JSON")
        .contains("<tool_response>\nError: </tool_call> without an opening <tool_call>");
    assertThat(r.toolStats().parseFailures()).isEqualTo(2);
    assertThat(r.toolStats().runFailures()).isZero();
    assertThat(r.images()).hasSize(1);
    assertThat(r.end()).isEqualTo(RolloutEnd.FINAL_ANSWER);
    assertThat(tokenizer.decode(r.ids())).isEqualTo(r.fullText());
  }

  @Test
  void unknownThrowingAndImageLessToolsAreRunFailuresFedBack() {
    RolloutState s = state(3);
    turn(s, call("{\"name\": \"rotate\", \"arguments\": {\"degrees\": 90}}"));
    turn(s, call("{\"name\": \"explode\", \"arguments\": {}}"));
    turn(s, call("{\"name\": \"speck\", \"arguments\": {}}"));
    Rollout r = s.finish();
    assertThat(r.end()).isEqualTo(RolloutEnd.TURN_LIMIT);
    List<String> errors = r.toolCalls().stream().map(ToolCallRecord::error).toList();
    assertThat(errors.get(0))
        .startsWith(
            "unknown tool 'rotate'; available tools: highlight," + " zoom_in, explode, speck");
    assertThat(errors.get(1)).isEqualTo("tool 'explode' failed: IllegalStateException: boom");
    assertThat(errors.get(2))
        .startsWith("speck: its output image (5x5) cannot be shown to the" + " model: ");
    assertThat(r.toolStats().runFailures()).isEqualTo(3);
    assertThat(r.toolStats().parseFailures()).isZero();
    // The first two errors were fed back; the third came at the turn limit.
    assertThat(r.fullText())
        .contains("Error: unknown tool 'rotate'")
        .contains("Error: tool 'explode' failed")
        .doesNotContain("Error: speck");
    assertThat(r.images()).hasSize(1);
  }

  @Test
  void theTurnLimitRunsTheLastCallsButFeedsNothingBack() {
    RolloutState s = state(1);
    long[] generated =
        turn(s, call("{\"name\": \"zoom_in\", \"arguments\": {\"bbox\":" + " [17, 6, 220, 168]}}"));
    Rollout r = s.finish();
    assertThat(r.end()).isEqualTo(RolloutEnd.TURN_LIMIT);
    assertThat(r.toolCalls().get(0).ok()).isTrue();
    assertThat(r.toolCalls().get(0).imageIndex()).isEqualTo(-1);
    assertThat(r.ids()).hasSize(r.promptLength() + generated.length);
    assertThat(r.images()).hasSize(1);
  }

  @Test
  void aTurnWithoutToolCallEndsTheRollout() {
    RolloutState s = state(3);
    turn(s, "It is 17.<|im_end|>");
    Rollout r = s.finish();
    assertThat(r.end()).isEqualTo(RolloutEnd.NO_TOOL_CALL);
    assertThat(r.finalAnswer()).isNull();
    assertThat(r.toolStats().attempted()).isZero();
    assertThatThrownBy(() -> turn(s, "more"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has ended (NO_TOOL_CALL)");
  }

  @Test
  void aGeneratedVisionPlaceholderEndsTheRolloutAsItsLastToken() {
    RolloutState s = state(3);
    turn(s, "look <|image_pad|>");
    assertThat(s.finish().end()).isEqualTo(RolloutEnd.INVALID_TOKEN);
    RolloutState t = state(3);
    assertThatThrownBy(() -> turn(t, "<|image_pad|> then more"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("must stop there");
  }

  @Test
  void promptTokensCarryTheirBlocks() {
    RolloutState s = state(3);
    turn(s, "x<|im_end|>");
    Rollout r = s.finish();
    long question = Arrays.stream(r.blocks()).filter(b -> b == BlockKind.QUESTION).count();
    long image = Arrays.stream(r.blocks()).filter(b -> b == BlockKind.IMAGE).count();
    assertThat(question).isEqualTo(tokenizer.encode(example.question()).length);
    assertThat(image).isEqualTo(48);
    assertThat(Arrays.stream(r.blocks()).filter(b -> b == BlockKind.SYSTEM).count())
        .isEqualTo(tokenizer.encode(RolloutConfig.DEFAULT_SYSTEM_PROMPT).length);
  }
}
