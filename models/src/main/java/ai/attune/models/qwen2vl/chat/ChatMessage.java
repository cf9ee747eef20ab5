package ai.attune.models.qwen2vl.chat;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One turn of a chat: its role, its content parts and, for an assistant turn, its tool calls.
 *
 * <p>Images may appear in user and tool turns only (a tool may return an edited image); system and
 * assistant turns hold text. Only assistant turns carry tool calls.
 */
public record ChatMessage(Role role, List<ContentPart> content, List<ToolCall> toolCalls) {

  /** The roles of Qwen's chat format; {@link #wireName()} is what the template writes. */
  public enum Role {
    SYSTEM,
    USER,
    ASSISTANT,
    TOOL;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public ChatMessage {
    Objects.requireNonNull(role, "role");
    content = List.copyOf(content);
    toolCalls = List.copyOf(toolCalls);
    if (!toolCalls.isEmpty() && role != Role.ASSISTANT) {
      throw new IllegalArgumentException("only assistant turns carry tool calls, not " + role);
    }
    boolean hasImage = content.stream().anyMatch(p -> p instanceof ContentPart.Image);
    if (hasImage && (role == Role.SYSTEM || role == Role.ASSISTANT)) {
      throw new IllegalArgumentException("images belong in user or tool turns, not " + role);
    }
  }

  public static ChatMessage system(String text) {
    return new ChatMessage(Role.SYSTEM, List.of(ContentPart.text(text)), List.of());
  }

  public static ChatMessage user(String text) {
    return new ChatMessage(Role.USER, List.of(ContentPart.text(text)), List.of());
  }

  public static ChatMessage user(ContentPart... parts) {
    return new ChatMessage(Role.USER, List.of(parts), List.of());
  }

  public static ChatMessage assistant(String text) {
    return new ChatMessage(Role.ASSISTANT, List.of(ContentPart.text(text)), List.of());
  }

  /** An assistant turn with tool calls; {@code text} (may be empty) comes before them. */
  public static ChatMessage assistant(String text, List<ToolCall> calls) {
    return new ChatMessage(Role.ASSISTANT, List.of(ContentPart.text(text)), calls);
  }

  /** The result of one tool call. */
  public static ChatMessage tool(String text) {
    return new ChatMessage(Role.TOOL, List.of(ContentPart.text(text)), List.of());
  }

  /** The result of one tool call, with images (an edited or cropped image). */
  public static ChatMessage tool(ContentPart... parts) {
    return new ChatMessage(Role.TOOL, List.of(parts), List.of());
  }

  /** The text parts concatenated (images left out). */
  public String text() {
    StringBuilder sb = new StringBuilder();
    for (ContentPart p : content) {
      if (p instanceof ContentPart.Text t) {
        sb.append(t.text());
      }
    }
    return sb.toString();
  }
}
