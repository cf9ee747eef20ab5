package ai.attune.iapo.rollout;

import ai.attune.iapo.tools.ToolResult;
import ai.attune.models.qwen2vl.chat.ToolCall;
import ai.attune.models.qwen2vl.chat.ToolCallParseError;
import java.util.Objects;

/**
 * One tool-call attempt of a rollout and what came of it.
 *
 * @param turn the assistant turn (0-based) that wrote it
 * @param tokenStart first token of the attempt in the rollout's sequence (its {@code <tool_call>}
 *     ... {@code </tool_call>} block): the attribution target's start
 * @param tokenEnd one past its last token
 * @param text the block's text
 * @param call the parsed call; null when the block was malformed
 * @param parseError why the block was malformed; null when it parsed
 * @param result what was fed back: the tool's result, or an error (parse error, unknown tool, bad
 *     arguments, a tool failure, an output image the model cannot take)
 * @param imageIndex index in {@link Rollout#images()} of the image fed back, or -1
 */
public record ToolCallRecord(
    int turn,
    int tokenStart,
    int tokenEnd,
    String text,
    ToolCall call,
    ToolCallParseError parseError,
    ToolResult result,
    int imageIndex) {

  public ToolCallRecord {
    if ((call == null) == (parseError == null)) {
      throw new IllegalArgumentException("a tool-call record has either a call or a parse error");
    }
    Objects.requireNonNull(result, "result");
    if (tokenEnd <= tokenStart) {
      throw new IllegalArgumentException(
          "empty token range [" + tokenStart + ", " + tokenEnd + ")");
    }
  }

  /** Whether the call parsed and ran without error. */
  public boolean ok() {
    return result.ok();
  }

  /** Whether the block parsed into a call. */
  public boolean parsed() {
    return call != null;
  }

  /** The error fed back, or null when the call succeeded. */
  public String error() {
    return result.error();
  }
}
