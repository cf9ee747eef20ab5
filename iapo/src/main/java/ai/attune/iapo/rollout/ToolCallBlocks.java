package ai.attune.iapo.rollout;

import ai.attune.models.qwen2vl.chat.ParsedAssistantTurn;
import ai.attune.models.qwen2vl.chat.ToolCall;
import ai.attune.models.qwen2vl.chat.ToolCallParseError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Where each tool-call attempt of a generated turn lies in its text: the {@code <tool_call>} blocks
 * found the way {@link ai.attune.models.qwen2vl.chat.ToolCallParser} finds them, each paired with
 * the call it parsed to or the error it gave, plus stray {@code </tool_call>} tags.
 */
final class ToolCallBlocks {
  private static final String OPEN = SpecialTokens.TOOL_CALL_OPEN;
  private static final String CLOSE = SpecialTokens.TOOL_CALL_CLOSE;

  private ToolCallBlocks() {}

  /** One attempt: characters {@code [start, end)}, with exactly one of call and error. */
  record Block(int start, int end, ToolCall call, ToolCallParseError error) {}

  /** The attempts of {@code text} (as parsed into {@code parsed}), in text order. */
  static List<Block> find(String text, ParsedAssistantTurn parsed) {
    String body = stripEndTokens(text);
    Map<Integer, ToolCallParseError> blockErrors = new HashMap<>();
    List<Block> out = new ArrayList<>();
    for (ToolCallParseError e : parsed.errors()) {
      if (e.kind() == ToolCallParseError.Kind.STRAY_CLOSING_TAG) {
        out.add(new Block(e.offset(), e.offset() + CLOSE.length(), null, e));
      } else {
        blockErrors.put(e.offset(), e);
      }
    }
    Iterator<ToolCall> calls = parsed.calls().iterator();
    int pos = 0;
    for (int open = body.indexOf(OPEN); open >= 0; open = body.indexOf(OPEN, pos)) {
      int close = body.indexOf(CLOSE, open + OPEN.length());
      int next = body.indexOf(OPEN, open + OPEN.length());
      boolean unclosed = close < 0 || (next >= 0 && next < close);
      int end = unclosed ? (next >= 0 ? next : body.length()) : close + CLOSE.length();
      ToolCallParseError error = blockErrors.remove(open);
      if (error == null && !calls.hasNext()) {
        throw new IllegalStateException(
            "block at " + open + " has neither a call nor an error: " + text);
      }
      out.add(new Block(open, end, error == null ? calls.next() : null, error));
      pos = end;
    }
    if (calls.hasNext() || !blockErrors.isEmpty()) {
      throw new IllegalStateException("the parser and the block scan disagree on: " + text);
    }
    out.sort(Comparator.comparingInt(Block::start));
    return out;
  }

  /** The text without trailing end tokens, as the parser reads it. */
  static String stripEndTokens(String text) {
    String t = text;
    boolean stripped = true;
    while (stripped) {
      String s = t.stripTrailing();
      stripped = false;
      for (String end : new String[] {SpecialTokens.IM_END, SpecialTokens.END_OF_TEXT}) {
        if (s.endsWith(end)) {
          t = s.substring(0, s.length() - end.length());
          stripped = true;
        }
      }
    }
    return t;
  }
}
