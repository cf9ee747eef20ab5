package ai.attune.models.qwen2vl.chat;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.models.TestData;
import ai.attune.models.qwen2vl.ProcessedImage;
import ai.attune.models.qwen2vl.Qwen2VlImageProcessor;
import ai.attune.models.qwen2vl.Qwen2VlImageProcessorConfig;
import ai.attune.models.text.TextTokenizer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Rendered prompts through the tiny Qwen2.5-VL tokenizer: special tokens become their ids, and
 * block spans map onto the right token ranges.
 */
@Tag("engine")
class ChatTokenizationTest {
  private static final long IM_START = 1;
  private static final long IM_END = 2;
  private static final long VISION_START = 3;
  private static final long VISION_END = 4;
  private static final long IMAGE_PAD = 5;
  private static final long TOOL_CALL = 7;
  private static final long TOOL_CALL_END = 8;

  private static TextTokenizer tokenizer;

  @BeforeAll
  static void load() {
    tokenizer = TextTokenizer.load(TestData.dir("qwen2_5_vl-tiny"));
  }

  @AfterAll
  static void close() {
    tokenizer.close();
  }

  @Test
  void specialTokensAndImagePadsGetTheirIds() throws Exception {
    ProcessedImage img =
        new Qwen2VlImageProcessor(Qwen2VlImageProcessorConfig.DEFAULTS)
            .process(TestData.dir("qwen2_5_vl-tiny").resolve("image.png"));
    List<ChatMessage> chat =
        List.of(
            ChatMessage.user(ContentPart.image(img), ContentPart.text("Which year is highest?")),
            ChatMessage.assistant(
                "",
                List.of(new ToolCall("crop", ChatTemplateTest.json("{\"bbox\": [1, 2, 3, 4]}")))),
            ChatMessage.tool("Cropped."));
    RenderedPrompt p = ChatTemplate.renderWithTools(chat, ChatTemplateTest.tools(), true);
    TokenizedPrompt t = p.tokenize(tokenizer);
    long[] ids = t.ids();

    assertThat(ids[0]).isEqualTo(IM_START);
    assertThat(count(ids, IM_START)).isEqualTo(5); // system, user, assistant, tool, generation
    assertThat(count(ids, IM_END)).isEqualTo(4);
    // Tool calls: two in the # Tools instructions, one in the assistant turn.
    assertThat(count(ids, TOOL_CALL)).isEqualTo(3);
    assertThat(count(ids, TOOL_CALL_END)).isEqualTo(3);
    // Generation prompt: <|im_start|> "assistant" "\n" at the end.
    assertThat(tokenizer.decode(Arrays.copyOfRange(ids, lastIndex(ids, IM_START), ids.length)))
        .isEqualTo("<|im_start|>assistant\n");

    int firstPad = indexOf(ids, IMAGE_PAD);
    assertThat(count(ids, IMAGE_PAD)).isEqualTo(img.numImageTokens()).isEqualTo(12);
    assertThat(ids[firstPad - 1]).isEqualTo(VISION_START);
    assertThat(Arrays.copyOfRange(ids, firstPad, firstPad + 12)).containsOnly(IMAGE_PAD);
    assertThat(ids[firstPad + 12]).isEqualTo(VISION_END);

    RenderedPrompt.TokenSpan image = t.spans().get(2);
    assertThat(image.kind()).isEqualTo(BlockKind.IMAGE);
    assertThat(image.start()).isEqualTo(firstPad);
    assertThat(image.end()).isEqualTo(firstPad + 12);
  }

  @Test
  void tokenSpansCoverEachBlockExactly() throws Exception {
    List<ChatMessage> chat =
        List.of(
            ChatMessage.system("You read charts."),
            ChatMessage.user("How tall is the 😀 bar, in cm?"),
            ChatMessage.assistant(
                "",
                List.of(new ToolCall("crop", ChatTemplateTest.json("{\"bbox\": [1, 2, 3, 4]}")))),
            ChatMessage.tool("Bar height: 42 cm."));
    RenderedPrompt p = ChatTemplate.renderWithTools(chat, ChatTemplateTest.tools(), true);
    TokenizedPrompt t = p.tokenize(tokenizer);
    assertThat(t.spans())
        .extracting(RenderedPrompt.TokenSpan::kind)
        .containsExactly(
            BlockKind.SYSTEM, BlockKind.TOOLS, BlockKind.QUESTION, BlockKind.TOOL_OUTPUT);
    for (int i = 0; i < p.spans().size(); i++) {
      RenderedPrompt.TokenSpan ts = t.spans().get(i);
      String decoded = tokenizer.decode(Arrays.copyOfRange(t.ids(), ts.start(), ts.end()));
      assertThat(decoded).as(ts.kind().toString()).isEqualTo(p.textOf(p.spans().get(i)));
    }
    // Blocks are disjoint and in order.
    for (int i = 1; i < t.spans().size(); i++) {
      assertThat(t.spans().get(i).start()).isGreaterThanOrEqualTo(t.spans().get(i - 1).end());
    }
    float[] ones = new float[t.ids().length];
    Arrays.fill(ones, 1f);
    double[] perBlock = t.sumPerBlock(ones);
    RenderedPrompt.TokenSpan question = t.spans().get(2);
    assertThat(perBlock[BlockKind.QUESTION.ordinal()]).isEqualTo(question.end() - question.start());
    assertThat(perBlock[BlockKind.IMAGE.ordinal()]).isZero();
  }

  @Test
  void tokenStraddlingABoundaryBelongsToOneBlock() {
    // Tokens (by char range): [0,3) [3,6) [6,9); spans [2,5) and [5,9): token 0 reaches into
    // span 0 from outside, token 1 starts in span 0 and ends in span 1.
    RenderedPrompt p =
        new RenderedPrompt(
            "abcdefghi",
            List.of(
                new RenderedPrompt.Span(BlockKind.SYSTEM, 2, 5),
                new RenderedPrompt.Span(BlockKind.QUESTION, 5, 9)),
            List.of());
    List<RenderedPrompt.TokenSpan> spans = p.tokenSpans(new int[] {0, 3, 6}, new int[] {3, 6, 9});
    assertThat(spans)
        .containsExactly(
            new RenderedPrompt.TokenSpan(BlockKind.SYSTEM, 0, 2),
            new RenderedPrompt.TokenSpan(BlockKind.QUESTION, 2, 3));
  }

  private static long count(long[] ids, long id) {
    return LongStream.of(ids).filter(x -> x == id).count();
  }

  private static int indexOf(long[] ids, long id) {
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] == id) {
        return i;
      }
    }
    return -1;
  }

  private static int lastIndex(long[] ids, long id) {
    for (int i = ids.length - 1; i >= 0; i--) {
      if (ids[i] == id) {
        return i;
      }
    }
    return -1;
  }
}
