package ai.attune.models.qwen2vl.chat;

import ai.attune.core.config.Mappers;
import ai.attune.models.qwen2vl.chat.ToolCallParseError.Kind;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Parses a generated assistant turn in Qwen's tool-call format: {@code <tool_call>\n{"name": ...,
 * "arguments": {...}}\n</tool_call>} blocks among free text, and IAPO's {@code FINAL ANSWER: ...}
 * line.
 *
 * <p>Never throws on model output: every problem becomes a {@link ToolCallParseError} in the
 * result, so a rollout can feed it back to the model as a tool error and go on. A trailing {@code
 * <|im_end|>} or {@code <|endoftext|>} (when decoding kept special tokens) is ignored. JSON is read
 * strictly: trailing text after the object inside the tags is an error.
 */
public final class ToolCallParser {
  static final String OPEN = "<tool_call>";
  static final String CLOSE = "</tool_call>";
  static final String FINAL_ANSWER = "FINAL ANSWER:";

  private ToolCallParser() {}

  public static ParsedAssistantTurn parse(String generated) {
    String text = stripEndTokens(generated);
    List<ToolCall> calls = new ArrayList<>();
    List<String> segments = new ArrayList<>();
    List<ToolCallParseError> errors = new ArrayList<>();
    int pos = 0;
    while (true) {
      int open = text.indexOf(OPEN, pos);
      int segmentEnd = open < 0 ? text.length() : open;
      addSegment(text, pos, segmentEnd, segments, errors);
      if (open < 0) {
        break;
      }
      int bodyStart = open + OPEN.length();
      int close = text.indexOf(CLOSE, bodyStart);
      int nextOpen = text.indexOf(OPEN, bodyStart);
      if (close < 0 || (nextOpen >= 0 && nextOpen < close)) {
        int end = nextOpen >= 0 ? nextOpen : text.length();
        errors.add(
            ToolCallParseError.of(
                Kind.UNCLOSED_TAG,
                "<tool_call> is not closed by </tool_call>",
                text.substring(open, end),
                open));
        pos = end;
        if (nextOpen < 0) {
          segments.add("");
          break;
        }
        continue;
      }
      int blockEnd = close + CLOSE.length();
      parseBody(
          text.substring(bodyStart, close), text.substring(open, blockEnd), open, calls, errors);
      pos = blockEnd;
    }
    return new ParsedAssistantTurn(calls, segments, errors, finalAnswer(segments));
  }

  private static void addSegment(
      String text, int from, int to, List<String> segments, List<ToolCallParseError> errors) {
    String segment = text.substring(from, to);
    for (int i = segment.indexOf(CLOSE); i >= 0; i = segment.indexOf(CLOSE, i + 1)) {
      errors.add(
          ToolCallParseError.of(
              Kind.STRAY_CLOSING_TAG,
              "</tool_call> without an opening <tool_call>",
              text.substring(Math.max(0, from + i - 40), from + i + CLOSE.length()),
              from + i));
    }
    segments.add(segment);
  }

  private static void parseBody(
      String body,
      String block,
      int offset,
      List<ToolCall> calls,
      List<ToolCallParseError> errors) {
    if (body.isBlank()) {
      errors.add(
          ToolCallParseError.of(Kind.MALFORMED_JSON, "the tool call is empty", block, offset));
      return;
    }
    JsonNode node;
    try {
      node = Mappers.json().readTree(body.strip());
    } catch (JsonProcessingException e) {
      errors.add(
          ToolCallParseError.of(
              Kind.MALFORMED_JSON,
              "the tool call is not valid JSON (" + firstLine(e.getOriginalMessage()) + ")",
              block,
              offset));
      return;
    }
    if (!node.isObject()) {
      errors.add(
          ToolCallParseError.of(
              Kind.NOT_AN_OBJECT,
              "the tool call must be a JSON object"
                  + " with \"name\" and \"arguments\", got "
                  + describe(node),
              block,
              offset));
      return;
    }
    JsonNode name = node.get("name");
    JsonNode args = node.get("arguments");
    if (name == null || !name.isTextual() || name.textValue().isBlank()) {
      errors.add(
          ToolCallParseError.of(
              Kind.MISSING_NAME,
              name == null
                  ? "the tool call has no \"name\""
                  : "\"name\" must be a non-empty string, got " + describe(name),
              block,
              offset));
    } else if (args == null) {
      errors.add(
          ToolCallParseError.of(
              Kind.MISSING_ARGUMENTS, "the tool call has no \"arguments\"", block, offset));
    } else if (!args.isObject()) {
      errors.add(
          ToolCallParseError.of(
              Kind.ARGUMENTS_NOT_OBJECT,
              "\"arguments\" must be a JSON object, got " + describe(args),
              block,
              offset));
    } else {
      calls.add(new ToolCall(name.textValue(), args));
    }
  }

  private static Optional<String> finalAnswer(List<String> segments) {
    for (int s = segments.size() - 1; s >= 0; s--) {
      String seg = segments.get(s);
      int at = seg.lastIndexOf(FINAL_ANSWER);
      if (at >= 0) {
        int start = at + FINAL_ANSWER.length();
        int eol = seg.indexOf('\n', start);
        String answer = seg.substring(start, eol < 0 ? seg.length() : eol).strip();
        return answer.isEmpty() ? Optional.empty() : Optional.of(answer);
      }
    }
    return Optional.empty();
  }

  private static String stripEndTokens(String text) {
    String t = text;
    boolean stripped = true;
    while (stripped) {
      String s = t.stripTrailing();
      stripped = false;
      for (String end : new String[] {ChatTemplate.IM_END, "<|endoftext|>"}) {
        if (s.endsWith(end)) {
          t = s.substring(0, s.length() - end.length());
          stripped = true;
        }
      }
    }
    return t;
  }

  private static String describe(JsonNode node) {
    String json = node.toString();
    String shown = json.length() <= 60 ? json : json.substring(0, 60) + "…";
    return node.getNodeType().toString().toLowerCase(Locale.ROOT) + " " + shown;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
