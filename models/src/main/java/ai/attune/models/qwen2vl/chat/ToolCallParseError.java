package ai.attune.models.qwen2vl.chat;

import java.util.Objects;

/**
 * Why one {@code <tool_call>} block (or a stray tag) of an assistant turn could not be used.
 *
 * @param kind what is wrong
 * @param message a sentence for logs and for the error fed back to the model; it quotes the
 *     offending snippet
 * @param snippet the offending text (the whole block, shortened past {@value #MAX_SNIPPET} chars)
 * @param offset index in the parsed text where the snippet starts
 */
public record ToolCallParseError(Kind kind, String message, String snippet, int offset) {
  /** Longest snippet quoted. */
  public static final int MAX_SNIPPET = 200;

  /** The ways a tool call can be malformed. */
  public enum Kind {
    /** {@code <tool_call>} with no {@code </tool_call>} before the end or the next call. */
    UNCLOSED_TAG,
    /** {@code </tool_call>} with no opening tag. */
    STRAY_CLOSING_TAG,
    /** The text between the tags is not valid JSON (or is empty). */
    MALFORMED_JSON,
    /** Valid JSON, but not an object. */
    NOT_AN_OBJECT,
    /** No {@code "name"}, or a name that is not a non-empty string. */
    MISSING_NAME,
    /** No {@code "arguments"}. */
    MISSING_ARGUMENTS,
    /** {@code "arguments"} is not a JSON object (a string holding JSON included). */
    ARGUMENTS_NOT_OBJECT
  }

  public ToolCallParseError {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(snippet, "snippet");
  }

  static ToolCallParseError of(Kind kind, String problem, String text, int offset) {
    String snippet = text.length() <= MAX_SNIPPET ? text : text.substring(0, MAX_SNIPPET) + "…";
    return new ToolCallParseError(kind, problem + " in: " + snippet, snippet, offset);
  }
}
