package ai.attune.models.qwen2vl.chat;

import ai.attune.models.qwen2vl.ProcessedImage;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Qwen2.5-VL's chat format with Qwen2.5's tool use, rendered to a prompt string.
 *
 * <p>It follows two HF chat templates. Turns, images and the default system prompt follow
 * Qwen2.5-VL-Instruct's {@code chat_template}: {@code <|im_start|>role\n...<|im_end|>\n}, a {@code
 * system} turn with "You are a helpful assistant." when the chat does not start with one, and each
 * image inline as {@code <|vision_start|><|image_pad|><|vision_end|>}, whose single pad is expanded
 * here to {@link ProcessedImage#numImageTokens()} pads (as HF's processor does after templating).
 * Tools follow Qwen2.5-Instruct's template: the definitions go into the system turn after its text,
 * in the {@code # Tools} section, one {@code tojson} line each; an assistant tool call is {@code
 * \n<tool_call>\n{"name": ..., "arguments": ...}\n</tool_call>}; tool results become {@code
 * <tool_response>} blocks of a {@code user} turn, consecutive ones grouped in one turn. Tool
 * results may hold images too (rendered like a user turn's).
 *
 * <p>Stateless; the rendered prompt also carries the character span of each IAPO input block.
 */
public final class ChatTemplate {
  /** Qwen2.5-VL's default system prompt. */
  public static final String DEFAULT_SYSTEM_PROMPT = "You are a helpful assistant.";

  static final String IM_START = "<|im_start|>";
  static final String IM_END = "<|im_end|>";
  static final String VISION_START = "<|vision_start|>";
  static final String VISION_END = "<|vision_end|>";
  static final String IMAGE_PAD = "<|image_pad|>";

  private static final String TOOLS_HEADER =
      "\n\n# Tools\n\nYou may call one or more functions"
          + " to assist with the user query.\n\nYou are provided with function signatures within"
          + " <tools></tools> XML tags:\n<tools>";
  private static final String TOOLS_FOOTER =
      "\n</tools>\n\nFor each function call, return a"
          + " json object with function name and arguments within <tool_call></tool_call> XML"
          + " tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}"
          + "\n</tool_call>";

  private ChatTemplate() {}

  /** Renders a chat without tools. */
  public static RenderedPrompt render(List<ChatMessage> messages, boolean addGenerationPrompt) {
    return render(messages, List.of(), addGenerationPrompt);
  }

  /** Renders a chat whose tools are given as {@link FunctionTool}s. */
  public static RenderedPrompt renderWithTools(
      List<ChatMessage> messages, List<FunctionTool> tools, boolean addGenerationPrompt) {
    return render(
        messages, tools.stream().map(t -> (JsonNode) t.toJson()).toList(), addGenerationPrompt);
  }

  /**
   * Renders a chat.
   *
   * @param tools tool definitions as the template's {@code tools} (usually {@code {"type":
   *     "function", "function": {...}}}); each is written with Python's {@code json.dumps}
   * @param addGenerationPrompt whether to end with {@code <|im_start|>assistant\n}
   */
  public static RenderedPrompt render(
      List<ChatMessage> messages, List<JsonNode> tools, boolean addGenerationPrompt) {
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("a chat needs at least one message");
    }
    Writer w = new Writer();
    ChatMessage first = messages.get(0);
    boolean firstIsSystem = first.role() == ChatMessage.Role.SYSTEM;
    w.raw(IM_START + "system\n");
    w.block(BlockKind.SYSTEM, firstIsSystem ? first.text() : DEFAULT_SYSTEM_PROMPT);
    if (!tools.isEmpty()) {
      w.block(BlockKind.TOOLS, toolsSection(tools));
    }
    w.raw(IM_END + "\n");
    for (int i = firstIsSystem ? 1 : 0; i < messages.size(); i++) {
      ChatMessage m = messages.get(i);
      switch (m.role()) {
        case SYSTEM -> {
          w.raw(IM_START + "system\n");
          w.block(BlockKind.SYSTEM, m.text());
          w.raw(IM_END + "\n");
        }
        case USER -> {
          w.raw(IM_START + "user\n");
          w.parts(m.content(), BlockKind.QUESTION, BlockKind.IMAGE);
          w.raw(IM_END + "\n");
        }
        case ASSISTANT -> assistant(w, m);
        case TOOL -> {
          boolean opens = i == 0 || messages.get(i - 1).role() != ChatMessage.Role.TOOL;
          boolean closes =
              i == messages.size() - 1 || messages.get(i + 1).role() != ChatMessage.Role.TOOL;
          w.raw((opens ? IM_START + "user" : "") + "\n<tool_response>\n");
          w.parts(m.content(), BlockKind.TOOL_OUTPUT, BlockKind.TOOL_OUTPUT);
          w.raw("\n</tool_response>" + (closes ? IM_END + "\n" : ""));
        }
      }
    }
    if (addGenerationPrompt) {
      w.raw(IM_START + "assistant\n");
    }
    return new RenderedPrompt(w.text.toString(), w.spans, w.images);
  }

  private static void assistant(Writer w, ChatMessage m) {
    String text = m.text();
    if (m.toolCalls().isEmpty()) {
      w.raw(IM_START + "assistant\n" + text + IM_END + "\n");
      return;
    }
    StringBuilder sb = new StringBuilder(IM_START + "assistant");
    if (!text.isEmpty()) {
      sb.append('\n').append(text);
    }
    for (ToolCall call : m.toolCalls()) {
      sb.append("\n<tool_call>\n").append(call.toQwenJson()).append("\n</tool_call>");
    }
    w.raw(sb.append(IM_END).append('\n').toString());
  }

  private static String toolsSection(List<JsonNode> tools) {
    StringBuilder sb = new StringBuilder(TOOLS_HEADER);
    for (JsonNode tool : tools) {
      sb.append('\n').append(PythonJson.dumps(tool));
    }
    return sb.append(TOOLS_FOOTER).toString();
  }

  /** Accumulates the text, the block spans and the images. */
  private static final class Writer {
    final StringBuilder text = new StringBuilder();
    final List<RenderedPrompt.Span> spans = new ArrayList<>();
    final List<ProcessedImage> images = new ArrayList<>();

    void raw(String s) {
      text.append(s);
    }

    void block(BlockKind kind, String s) {
      int start = text.length();
      text.append(s);
      if (!s.isEmpty()) {
        spans.add(new RenderedPrompt.Span(kind, start, text.length()));
      }
    }

    void parts(List<ContentPart> parts, BlockKind textKind, BlockKind imageKind) {
      for (ContentPart p : parts) {
        if (p instanceof ContentPart.Text t) {
          block(textKind, t.text());
        } else if (p instanceof ContentPart.Image img) {
          raw(VISION_START);
          block(imageKind, IMAGE_PAD.repeat(img.image().numImageTokens()));
          raw(VISION_END);
          images.add(img.image());
        }
      }
    }
  }
}
