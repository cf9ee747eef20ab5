package ai.attune.iapo.attribution;

import static ai.attune.models.qwen2vl.chat.BlockKind.IMAGE;
import static ai.attune.models.qwen2vl.chat.BlockKind.QUESTION;
import static ai.attune.models.qwen2vl.chat.BlockKind.SYSTEM;
import static ai.attune.models.qwen2vl.chat.BlockKind.TOOLS;
import static ai.attune.models.qwen2vl.chat.BlockKind.TOOL_OUTPUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.attune.core.config.Mappers;
import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.models.CausalLM;
import ai.attune.models.Models;
import ai.attune.models.attribution.TokenRange;
import ai.attune.models.qwen2vl.ProcessedImage;
import ai.attune.models.qwen2vl.Qwen2VlImageProcessor;
import ai.attune.models.qwen2vl.Qwen2VlImageProcessorConfig;
import ai.attune.models.qwen2vl.chat.BlockKind;
import ai.attune.models.qwen2vl.chat.ChatMessage;
import ai.attune.models.qwen2vl.chat.ChatTemplate;
import ai.attune.models.qwen2vl.chat.ContentPart;
import ai.attune.models.qwen2vl.chat.FunctionTool;
import ai.attune.models.qwen2vl.chat.RenderedPrompt;
import ai.attune.models.qwen2vl.chat.RenderedPrompt.TokenSpan;
import ai.attune.models.qwen2vl.chat.TokenizedPrompt;
import ai.attune.models.qwen2vl.chat.ToolCall;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The IAPO case on qwen2_5_vl-tiny: a chat rendered with Qwen's template (system prompt, two tools,
 * a user turn with the chart image and a question, an assistant tool call), tokenized, and the tool
 * call attributed to the prompt's blocks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("engine")
class ChatAttributionTest {
  private static final long IMAGE_PAD = 5;

  private NDManager root;
  private CausalLM vl;
  private TextTokenizer tokenizer;
  private ProcessedImage chart;

  @BeforeAll
  void load() {
    root = Engines.newManager(DevicePolicy.CPU);
    vl = Models.load(Fixtures.dir(Fixtures.VL), ComputeDtype.FLOAT32, root);
    tokenizer = TextTokenizer.load(Fixtures.dir(Fixtures.VL));
    chart =
        new Qwen2VlImageProcessor(Qwen2VlImageProcessorConfig.DEFAULTS)
            .process(Fixtures.dir(Fixtures.VL).resolve("image.png"));
  }

  @AfterAll
  void close() {
    tokenizer.close();
    vl.close();
    root.close();
  }

  static JsonNode json(String s) throws Exception {
    return Mappers.json().readTree(s);
  }

  static List<FunctionTool> tools() throws Exception {
    return List.of(
        new FunctionTool(
            "crop",
            "Crop the image to a box.",
            json(
                "{\"type\": \"object\","
                    + " \"properties\": {\"bbox\": {\"type\": \"array\", \"items\": {\"type\":"
                    + " \"number\"}, \"description\": \"[x1, y1, x2, y2] in pixels\"}},"
                    + " \"required\": [\"bbox\"]}")),
        new FunctionTool(
            "highlight",
            "Highlight bars by label.",
            json(
                "{\"type\": \"object\","
                    + " \"properties\": {\"labels\": {\"type\": \"array\", \"items\": {\"type\":"
                    + " \"string\"}}}, \"required\": [\"labels\"]}")));
  }

  /**
   * The rollout input for {@code chat}, whose last message is the attributed assistant turn: the
   * response starts where the chat without it, rendered with the generation prompt, ends.
   */
  private AttributionInput rollout(List<ChatMessage> chat) throws Exception {
    RenderedPrompt full = ChatTemplate.renderWithTools(chat, tools(), false);
    TokenizedPrompt tokens = full.tokenize(tokenizer);
    long[] prompt =
        ChatTemplate.renderWithTools(chat.subList(0, chat.size() - 1), tools(), true)
            .tokenize(tokenizer)
            .ids();
    long[] ids = tokens.ids();
    assertThat(Arrays.copyOf(ids, prompt.length)).containsExactly(prompt);
    TokenRange response = new TokenRange(prompt.length, ids.length - 1); // up to <|im_end|>
    assertThat(tokenizer.decode(new long[] {ids[response.to() - 1]})).isEqualTo("<|im_end|>");
    return AttributionInput.ofTurn(tokens, full.images(), response, ToolCallTokens.of(tokenizer));
  }

  @Test
  void toolCallOfTheFirstTurnIsAttributedToFourBlocks() throws Exception {
    List<ChatMessage> chat =
        List.of(
            ChatMessage.system("You answer questions about charts. Use a tool when it helps."),
            ChatMessage.user(
                ContentPart.image(chart), ContentPart.text("Which year has the highest sales?")),
            ChatMessage.assistant(
                "", List.of(new ToolCall("crop", json("{\"bbox\": [0, 0, 56," + " 84]}")))));
    AttributionInput in = rollout(chat);
    long[] ids = in.ids();
    TokenRange call = in.toolCallTokens().get(0);
    assertThat(in.toolCallTokens()).hasSize(1);
    assertThat(tokenizer.decode(Arrays.copyOfRange(ids, call.from(), call.to())))
        .isEqualTo(
            "<tool_call>\n{\"name\": \"crop\", \"arguments\": {\"bbox\": [0, 0, 56, 84]}}"
                + "\n</tool_call>");
    TokenSpan image = in.blocks().stream().filter(b -> b.kind() == IMAGE).findFirst().orElseThrow();
    assertThat(image.end() - image.start()).isEqualTo(12);
    assertThat(Arrays.copyOfRange(ids, image.start(), image.end())).containsOnly(IMAGE_PAD);
    assertThat(Arrays.stream(ids).filter(id -> id == IMAGE_PAD).count()).isEqualTo(12);

    AttributionResult r =
        new BlockAttribution(AttributionConfig.defaults()).attribute(vl, in, root);
    assertThat(r.length()).isEqualTo(call.to());
    assertThat(r.distribution().kinds()).containsExactly(SYSTEM, QUESTION, IMAGE, TOOLS);
    assertThat(Fixtures.sum(r.distribution().probabilities().values())).isCloseTo(1, within(1e-12));
    float[] s = r.tokenScores();
    double imageSum = 0;
    for (int t = image.start(); t < image.end(); t++) {
      imageSum += Math.abs(s[t]);
    }
    assertThat(r.blockScores().get(IMAGE)).isCloseTo(imageSum, within(1e-9)).isPositive();
    double total = Fixtures.sum(r.blockScores().values());
    assertThat(r.distribution().get(IMAGE)).isCloseTo(imageSum / total, within(1e-12));
    for (BlockKind k : r.distribution().kinds()) {
      assertThat(r.distribution().get(k)).as(k.toString()).isPositive();
    }
    System.out.printf(
        "IAPO chat, %d tokens, tool call %s, target log-prob %.4f: blocks %s ->" + " %s%n",
        ids.length, call, r.targetLogProb(), r.blockScores(), r.distribution().probabilities());
  }

  @Test
  void secondTurnAfterAToolOutputWithAnImageHasFiveBlocks() throws Exception {
    List<ChatMessage> chat =
        new ArrayList<>(
            List.of(
                ChatMessage.system("You answer questions about charts. Use a tool when it helps."),
                ChatMessage.user(
                    ContentPart.image(chart),
                    ContentPart.text("Which year has the highest sales?")),
                ChatMessage.assistant(
                    "", List.of(new ToolCall("crop", json("{\"bbox\": [0, 0, 56," + " 84]}")))),
                ChatMessage.tool(ContentPart.image(chart), ContentPart.text("Cropped.")),
                ChatMessage.assistant(
                    "Let me mark it.",
                    List.of(new ToolCall("highlight", json("{\"labels\": [\"2019\"]}"))))));
    AttributionInput in = rollout(chat);
    long[] ids = in.ids();
    assertThat(in.images()).hasSize(2);
    assertThat(Arrays.stream(ids).filter(id -> id == IMAGE_PAD).count()).isEqualTo(24);
    List<TokenSpan> outputs = in.blocks().stream().filter(b -> b.kind() == TOOL_OUTPUT).toList();
    assertThat(outputs).hasSize(2); // the returned image's pads and the text
    assertThat(outputs.get(0).end() - outputs.get(0).start()).isEqualTo(12);

    BlockAttribution ig = new BlockAttribution(AttributionConfig.defaults());
    AttributionResult r = ig.attribute(vl, in, root);
    assertThat(r.distribution().kinds())
        .containsExactly(SYSTEM, QUESTION, IMAGE, TOOLS, TOOL_OUTPUT);
    assertThat(Fixtures.sum(r.distribution().probabilities().values())).isCloseTo(1, within(1e-12));
    float[] s = r.tokenScores();
    double outputSum = 0;
    for (TokenSpan o : outputs) {
      for (int t = o.start(); t < o.end(); t++) {
        outputSum += Math.abs(s[t]);
      }
    }
    assertThat(r.blockScores().get(TOOL_OUTPUT)).isCloseTo(outputSum, within(1e-9)).isPositive();
    AttributionResult response =
        new BlockAttribution(
                AttributionConfig.defaults().withTarget(AttributionConfig.TargetKind.RESPONSE))
            .attribute(vl, in, root);
    assertThat(response.length()).isEqualTo(ids.length - 1);
    assertThat(response.targetLogProb()).isLessThan(r.targetLogProb());
    System.out.printf(
        "IAPO two-turn chat, %d tokens, tool call %s: %s; whole response: %s%n",
        ids.length,
        in.toolCallTokens(),
        r.distribution().probabilities(),
        response.distribution().probabilities());
    assertThat(root.getManagedArrays()).hasSize(vl.parameters().parameters().size());
  }
}
