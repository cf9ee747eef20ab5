package ai.attune.models.qwen2vl.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.config.Mappers;
import ai.attune.models.qwen2vl.ProcessedImage;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Golden prompts. The expected strings were written by hand from the text of two HF chat templates:
 * Qwen2.5-VL-Instruct's {@code chat_template} (turn markup, default system prompt "You are a
 * helpful assistant.", {@code <|vision_start|><|image_pad|><|vision_end|>} per image, the pad
 * expanded to the image's token count as HF's Qwen2_5_VLProcessor does) and Qwen2.5-Instruct's
 * tool-use template ({@code # Tools} section, {@code tool | tojson} lines, {@code <tool_call>}
 * turns, {@code <tool_response>} grouping).
 */
@Tag("pure")
class ChatTemplateTest {
  static final String PAD = "<|image_pad|>";

  /** A 48-patch image (grid 1x6x8): 12 image tokens, like the fixture image. */
  static ProcessedImage image() {
    return new ProcessedImage(new float[48 * 1176], new long[] {48, 1176}, new long[] {1, 6, 8}, 2);
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

  @Test
  void textOnlyChatGetsTheDefaultSystemPrompt() {
    RenderedPrompt p = ChatTemplate.render(List.of(ChatMessage.user("What is 2+2?")), true);
    assertThat(p.text())
        .isEqualTo(
            "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
                + "<|im_start|>user\nWhat is 2+2?<|im_end|>\n"
                + "<|im_start|>assistant\n");
    assertThat(p.spans())
        .extracting(RenderedPrompt.Span::kind)
        .containsExactly(BlockKind.SYSTEM, BlockKind.QUESTION);
    assertThat(p.textOf(p.spans().get(1))).isEqualTo("What is 2+2?");
  }

  @Test
  void multiTurnWithSystemAndNoGenerationPrompt() {
    RenderedPrompt p =
        ChatTemplate.render(
            List.of(
                ChatMessage.system("Answer briefly."),
                ChatMessage.user("Hi"),
                ChatMessage.assistant("Hello."),
                ChatMessage.user("Bye")),
            false);
    assertThat(p.text())
        .isEqualTo(
            "<|im_start|>system\nAnswer briefly.<|im_end|>\n"
                + "<|im_start|>user\nHi<|im_end|>\n"
                + "<|im_start|>assistant\nHello.<|im_end|>\n"
                + "<|im_start|>user\nBye<|im_end|>\n");
    assertThat(p.spans())
        .extracting(RenderedPrompt.Span::kind)
        .containsExactly(BlockKind.SYSTEM, BlockKind.QUESTION, BlockKind.QUESTION);
  }

  @Test
  void imageIsExpandedToItsTokenCount() {
    RenderedPrompt p =
        ChatTemplate.render(
            List.of(
                ChatMessage.user(
                    ContentPart.image(image()), ContentPart.text("Which bar is tallest?"))),
            true);
    assertThat(p.text())
        .isEqualTo(
            "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
                + "<|im_start|>user\n<|vision_start|>"
                + PAD.repeat(12)
                + "<|vision_end|>Which bar is tallest?<|im_end|>\n"
                + "<|im_start|>assistant\n");
    assertThat(p.images()).hasSize(1);
    RenderedPrompt.Span img = p.spans().get(1);
    assertThat(img.kind()).isEqualTo(BlockKind.IMAGE);
    assertThat(p.textOf(img)).isEqualTo(PAD.repeat(12));
  }

  @Test
  void toolsCallsAndResponses() throws Exception {
    List<ChatMessage> chat =
        List.of(
            ChatMessage.system("You answer questions about charts."),
            ChatMessage.user(
                ContentPart.image(image()), ContentPart.text("Which year has the highest sales?")),
            ChatMessage.assistant(
                "I will zoom in.",
                List.of(
                    new ToolCall("crop", json("{\"bbox\": [10, 20, 50.5, 60]}")),
                    new ToolCall("highlight", json("{\"labels\": [\"2019\", \"2020\"]}")))),
            ChatMessage.tool("Cropped to 40x40 pixels."),
            ChatMessage.tool("Highlighted 2 bars."));
    RenderedPrompt p = ChatTemplate.renderWithTools(chat, tools(), true);
    String toolsSection =
        "\n\n# Tools\n\nYou may call one or more functions to assist with the"
            + " user query.\n\nYou are provided with function signatures within <tools></tools> XML"
            + " tags:\n<tools>\n"
            + "{\"type\": \"function\", \"function\": {\"name\": \"crop\", \"description\": \"Crop"
            + " the image to a box.\", \"parameters\": {\"type\": \"object\", \"properties\":"
            + " {\"bbox\": {\"type\": \"array\", \"items\": {\"type\": \"number\"}, \"description\":"
            + " \"[x1, y1, x2, y2] in pixels\"}}, \"required\": [\"bbox\"]}}}\n"
            + "{\"type\": \"function\", \"function\": {\"name\": \"highlight\", \"description\":"
            + " \"Highlight bars by label.\", \"parameters\": {\"type\": \"object\", \"properties\":"
            + " {\"labels\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}}},"
            + " \"required\": [\"labels\"]}}}\n"
            + "</tools>\n\nFor each function call, return a json object with function name and"
            + " arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\":"
            + " <function-name>, \"arguments\": <args-json-object>}\n</tool_call>";
    assertThat(p.text())
        .isEqualTo(
            "<|im_start|>system\nYou answer questions about charts."
                + toolsSection
                + "<|im_end|>\n"
                + "<|im_start|>user\n<|vision_start|>"
                + PAD.repeat(12)
                + "<|vision_end|>Which year has the highest sales?<|im_end|>\n"
                + "<|im_start|>assistant\nI will zoom in."
                + "\n<tool_call>\n{\"name\": \"crop\", \"arguments\": {\"bbox\": [10, 20, 50.5, 60]}}"
                + "\n</tool_call>"
                + "\n<tool_call>\n{\"name\": \"highlight\", \"arguments\": {\"labels\": [\"2019\","
                + " \"2020\"]}}\n</tool_call><|im_end|>\n"
                + "<|im_start|>user\n<tool_response>\nCropped to 40x40 pixels.\n</tool_response>"
                + "\n<tool_response>\nHighlighted 2 bars.\n</tool_response><|im_end|>\n"
                + "<|im_start|>assistant\n");
    assertThat(p.spans())
        .extracting(RenderedPrompt.Span::kind)
        .containsExactly(
            BlockKind.SYSTEM,
            BlockKind.TOOLS,
            BlockKind.IMAGE,
            BlockKind.QUESTION,
            BlockKind.TOOL_OUTPUT,
            BlockKind.TOOL_OUTPUT);
    assertThat(p.textOf(p.spans().get(0))).isEqualTo("You answer questions about charts.");
    assertThat(p.textOf(p.spans().get(1))).isEqualTo(toolsSection);
    assertThat(p.textOf(p.spans().get(5))).isEqualTo("Highlighted 2 bars.");
  }

  @Test
  void toolCallWithoutTextAndToolImage() throws Exception {
    RenderedPrompt p =
        ChatTemplate.render(
            List.of(
                ChatMessage.user("Zoom."),
                ChatMessage.assistant("", List.of(new ToolCall("zoom", json("{}")))),
                ChatMessage.tool(ContentPart.text("Zoomed:"), ContentPart.image(image()))),
            false);
    assertThat(p.text())
        .isEqualTo(
            "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
                + "<|im_start|>user\nZoom.<|im_end|>\n"
                + "<|im_start|>assistant\n<tool_call>\n{\"name\": \"zoom\", \"arguments\": {}}\n"
                + "</tool_call><|im_end|>\n"
                + "<|im_start|>user\n<tool_response>\nZoomed:<|vision_start|>"
                + PAD.repeat(12)
                + "<|vision_end|>\n</tool_response><|im_end|>\n");
    assertThat(p.spans())
        .extracting(RenderedPrompt.Span::kind)
        .containsExactly(
            BlockKind.SYSTEM, BlockKind.QUESTION, BlockKind.TOOL_OUTPUT, BlockKind.TOOL_OUTPUT);
  }

  @Test
  void pythonJsonMatchesJsonDumps() throws Exception {
    // Values as Python's json.dumps(x, ensure_ascii=False) prints them.
    assertThat(
            PythonJson.dumps(
                json(
                    "{\"a\": [1, 2.0, -0.5, 1e-5, 1.5e20, 1e16, 123456789.125],"
                        + " \"b\": {}, \"c\": [], \"d\": null, \"e\": true,"
                        + " \"f\": \"é \\\"q\\\" \\n\\t\\u0001\"}")))
        .isEqualTo(
            "{\"a\": [1, 2.0, -0.5, 1e-05, 1.5e+20, 1e+16, 123456789.125], \"b\": {},"
                + " \"c\": [], \"d\": null, \"e\": true, \"f\": \"é \\\"q\\\" \\n\\t\\u0001\"}");
    assertThat(PythonJson.floatRepr(0.0001)).isEqualTo("0.0001");
    assertThat(PythonJson.floatRepr(1e15)).isEqualTo("1000000000000000.0");
    assertThat(PythonJson.floatRepr(0.1)).isEqualTo("0.1");
  }

  @Test
  void badChatsAreRefused() throws Exception {
    assertThatThrownBy(() -> ChatTemplate.render(List.of(), true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new ChatMessage(
                    ChatMessage.Role.ASSISTANT, List.of(ContentPart.image(image())), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("images");
    assertThatThrownBy(
            () ->
                new ChatMessage(
                    ChatMessage.Role.USER,
                    List.of(ContentPart.text("x")),
                    List.of(new ToolCall("crop", json("{}")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tool calls");
    assertThatThrownBy(() -> new ToolCall("crop", json("[1]")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JSON object");
  }
}
