package ai.attune.iapo.attribution;

import ai.attune.models.attribution.TokenRange;
import ai.attune.models.text.TextTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the tool calls of a response among its token ids: each call is the tokens from a {@code
 * <tool_call>} token through the next {@code </tool_call>} token, both tags included (the opening
 * tag is the decision to call a tool). An opening tag never closed within the searched range runs
 * to the range's end.
 *
 * @param openId the id of {@code <tool_call>}
 * @param closeId the id of {@code </tool_call>}
 */
public record ToolCallTokens(long openId, long closeId) {
  public ToolCallTokens {
    if (openId == closeId) {
      throw new IllegalArgumentException(
          "<tool_call> and </tool_call> need distinct ids, got " + openId + " for both");
    }
  }

  /** The tags' ids in {@code tokenizer}, each of which must be one token. */
  public static ToolCallTokens of(TextTokenizer tokenizer) {
    return new ToolCallTokens(single(tokenizer, "<tool_call>"), single(tokenizer, "</tool_call>"));
  }

  /** The tool calls inside {@code within}, in order. */
  public List<TokenRange> find(long[] ids, TokenRange within) {
    if (within.to() > ids.length) {
      throw new IllegalArgumentException(
          "range " + within + " lies past the " + ids.length + " ids");
    }
    List<TokenRange> calls = new ArrayList<>();
    int open = -1;
    for (int t = within.from(); t < within.to(); t++) {
      if (ids[t] == openId && open < 0) {
        open = t;
      } else if (ids[t] == closeId && open >= 0) {
        calls.add(new TokenRange(open, t + 1));
        open = -1;
      }
    }
    if (open >= 0) {
      calls.add(new TokenRange(open, within.to()));
    }
    return calls;
  }

  private static long single(TextTokenizer tokenizer, String tag) {
    long[] ids = tokenizer.encode(tag);
    if (ids.length != 1) {
      throw new IllegalArgumentException(
          "the tokenizer splits "
              + tag
              + " into "
              + ids.length
              + " tokens; tool-call tags must be single (special) tokens");
    }
    return ids[0];
  }
}
