package ai.attune.models.qwen2vl.chat;

import java.util.List;
import java.util.Optional;

/**
 * An assistant turn taken apart: its well-formed tool calls in order, the text around the {@code
 * <tool_call>} blocks, what was wrong with the malformed ones, and the final answer if it gave one.
 *
 * @param calls the well-formed calls, in order
 * @param textSegments the text before, between and after the {@code <tool_call>} blocks (well- or
 *     malformed): one more than the number of blocks
 * @param errors one per malformed block or stray closing tag, in order
 * @param finalAnswer the text after the last {@code FINAL ANSWER:} outside the blocks, to the end
 *     of its line, trimmed; empty when there is none or it is blank
 */
public record ParsedAssistantTurn(
    List<ToolCall> calls,
    List<String> textSegments,
    List<ToolCallParseError> errors,
    Optional<String> finalAnswer) {

  public ParsedAssistantTurn {
    calls = List.copyOf(calls);
    textSegments = List.copyOf(textSegments);
    errors = List.copyOf(errors);
    if (textSegments.isEmpty()) {
      throw new IllegalArgumentException("there is always at least one text segment");
    }
  }

  public boolean hasErrors() {
    return !errors.isEmpty();
  }

  /** The text outside the tool-call blocks, joined. */
  public String text() {
    return String.join("", textSegments);
  }
}
