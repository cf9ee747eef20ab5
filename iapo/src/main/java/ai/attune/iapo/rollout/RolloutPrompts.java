package ai.attune.iapo.rollout;

import ai.attune.iapo.data.VqaExample;
import ai.attune.iapo.tools.NamedBoxes;
import ai.attune.iapo.tools.ToolResult;
import ai.attune.models.qwen2vl.ProcessedImage;
import ai.attune.models.qwen2vl.chat.ChatMessage;
import ai.attune.models.qwen2vl.chat.ChatTemplate;
import ai.attune.models.qwen2vl.chat.ContentPart;
import ai.attune.models.qwen2vl.chat.FunctionTool;
import ai.attune.models.qwen2vl.chat.RenderedPrompt;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The rendered pieces a rollout's token sequence is made of, all in Qwen2.5-VL's chat format
 * ({@link ChatTemplate}): the initial prompt, and after each tool-calling assistant turn the
 * environment's piece (the end of that turn, a {@code <tool_response>} user turn, and the next
 * generation prompt).
 */
public final class RolloutPrompts {
  private static final String CUT_SYSTEM = "-";

  private RolloutPrompts() {}

  /**
   * The first prompt: the system turn (with the tool definitions when {@code tools} is not empty),
   * a user turn with the images then the question, and {@code <|im_start|>assistant\n}.
   */
  public static RenderedPrompt initial(
      String question, List<ProcessedImage> images, String systemPrompt, List<FunctionTool> tools) {
    List<ContentPart> parts = new ArrayList<>();
    images.forEach(i -> parts.add(ContentPart.image(i)));
    parts.add(ContentPart.text(question));
    List<ChatMessage> chat =
        List.of(
            ChatMessage.system(systemPrompt),
            new ChatMessage(ChatMessage.Role.USER, parts, List.of()));
    return ChatTemplate.renderWithTools(chat, tools, true);
  }

  /**
   * The user turn's text: the question and, when tools are offered, what their arguments may refer
   * to, as ReFocus and VTool-R1 put it in their prompts: the size of each input image in pixels
   * (the frame of every {@code bbox}) and the example's named rows and columns (what the focus
   * tools' {@code rows} / {@code columns} accept). Without tools, the question alone.
   */
  public static String userText(
      VqaExample example, List<BufferedImage> images, boolean offerTools) {
    if (!offerTools) {
      return example.question();
    }
    StringBuilder b = new StringBuilder(example.question()).append("\n");
    for (int i = 0; i < images.size(); i++) {
      BufferedImage im = images.get(i);
      b.append("\nImage ")
          .append(i)
          .append(" is ")
          .append(im.getWidth())
          .append('x')
          .append(im.getHeight())
          .append(" pixels (width x height); a bbox is [x1, y1, x2, y2]" + " in these pixels.");
    }
    NamedBoxes boxes = example.boxes();
    if (!boxes.rows().isEmpty()) {
      b.append("\nNamed rows: ").append(String.join(", ", boxes.rows().keySet())).append('.');
    }
    if (!boxes.columns().isEmpty()) {
      b.append("\nNamed columns: ").append(String.join(", ", boxes.columns().keySet())).append('.');
    }
    return b.toString();
  }

  /**
   * The environment's piece after an assistant turn that called tools: {@code closing} (what the
   * template writes after the turn's text: {@code <|im_end|>\n}, or {@code \n} when the model
   * itself ended with {@code <|im_end|>}), the tool results as {@code <tool_response>} blocks of
   * one user turn, and the generation prompt. Block spans (TOOL_OUTPUT) and images are kept.
   *
   * @param toolResults {@link ChatMessage.Role#TOOL} messages, one per call, in call order
   */
  public static RenderedPrompt environment(String closing, List<ChatMessage> toolResults) {
    if (toolResults.isEmpty()) {
      throw new IllegalArgumentException("an environment turn needs at least one tool result");
    }
    List<ChatMessage> chat = new ArrayList<>();
    chat.add(ChatMessage.system(CUT_SYSTEM));
    chat.addAll(toolResults);
    RenderedPrompt full = ChatTemplate.render(chat, true);
    String head = "<|im_start|>system\n" + CUT_SYSTEM + SpecialTokens.IM_END + "\n";
    if (!full.text().startsWith(head)) {
      throw new IllegalStateException("unexpected chat template output: " + full.text());
    }
    int cut = head.length();
    int shift = closing.length() - cut;
    List<RenderedPrompt.Span> spans = new ArrayList<>();
    for (RenderedPrompt.Span s : full.spans()) {
      if (s.start() >= cut) {
        spans.add(new RenderedPrompt.Span(s.kind(), s.start() + shift, s.end() + shift));
      }
    }
    return new RenderedPrompt(closing + full.text().substring(cut), spans, full.images());
  }

  /**
   * The {@link ChatMessage.Role#TOOL} message that feeds a result back: its image first (when
   * given, already processed), then {@link ToolResult#textForModel()}.
   */
  public static ChatMessage toolMessage(ToolResult result, ProcessedImage image) {
    String text = result.textForModel();
    return image == null
        ? ChatMessage.tool(text)
        : ChatMessage.tool(ContentPart.image(image), ContentPart.text(text));
  }
}
