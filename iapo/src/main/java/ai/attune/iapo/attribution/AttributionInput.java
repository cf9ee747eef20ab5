package ai.attune.iapo.attribution;

import ai.attune.iapo.attribution.AttributionConfig.TargetKind;
import ai.attune.models.attribution.TokenRange;
import ai.attune.models.qwen2vl.ProcessedImage;
import ai.attune.models.qwen2vl.chat.RenderedPrompt.TokenSpan;
import ai.attune.models.qwen2vl.chat.TokenizedPrompt;
import java.util.List;

/**
 * One rollout turn as attribution sees it: the token ids of the sequence, the token span of each
 * input block, the candidate targets (the turn's tool calls and its whole response) and, for a
 * vision-language model, the images in the order of their {@code <|image_pad|>} runs, so each model
 * binds its own image view.
 *
 * @param ids the prompt and the response (at least up to the last target token)
 * @param blocks the input blocks' token spans (several spans may share a kind; empty spans are
 *     allowed and ignored); they overlap neither each other nor a target range
 * @param toolCallTokens the tool call(s) of the turn (may be empty when the turn calls no tool)
 * @param responseTokens the whole response (may be empty when only tool calls are attributed)
 * @param images the images whose pads the ids hold; empty for a text-only sequence
 */
public record AttributionInput(
    long[] ids,
    List<TokenSpan> blocks,
    List<TokenRange> toolCallTokens,
    List<TokenRange> responseTokens,
    List<ProcessedImage> images) {

  public AttributionInput {
    ids = ids.clone();
    blocks = List.copyOf(blocks);
    toolCallTokens = List.copyOf(toolCallTokens);
    responseTokens = List.copyOf(responseTokens);
    images = List.copyOf(images);
    if (ids.length == 0) {
      throw new IllegalArgumentException("an attribution input needs token ids");
    }
    for (TokenSpan b : blocks) {
      if (b.start() < 0 || b.end() < b.start() || b.end() > ids.length) {
        throw new IllegalArgumentException(
            "block span " + b + " lies outside the " + ids.length + " ids");
      }
    }
    for (int i = 0; i < blocks.size(); i++) {
      for (int j = i + 1; j < blocks.size(); j++) {
        if (overlap(blocks.get(i), blocks.get(j))) {
          throw new IllegalArgumentException(
              "block spans " + blocks.get(i) + " and " + blocks.get(j) + " overlap");
        }
      }
    }
    checkTargets("tool-call", toolCallTokens, blocks, ids.length);
    checkTargets("response", responseTokens, blocks, ids.length);
  }

  /** A text sequence whose tool-call and response targets are the same ranges. */
  public static AttributionInput text(
      long[] ids, List<TokenSpan> blocks, List<TokenRange> targets) {
    return new AttributionInput(ids, blocks, targets, targets, List.of());
  }

  /**
   * A rendered chat that ends with the attributed assistant turn: its ids and block spans, the
   * turn's tokens as the response and the tool calls found in them.
   *
   * @param chat the tokenized chat (prompt blocks and the assistant turn)
   * @param images the rendered prompt's images ({@code RenderedPrompt.images()})
   * @param response the assistant turn's tokens
   */
  public static AttributionInput ofTurn(
      TokenizedPrompt chat, List<ProcessedImage> images, TokenRange response, ToolCallTokens tags) {
    long[] ids = chat.ids();
    return new AttributionInput(
        ids, chat.spans(), tags.find(ids, response), List.of(response), images);
  }

  /** A copy of the ids. */
  @Override
  public long[] ids() {
    return ids.clone();
  }

  /** The ranges {@code kind} selects; fails naming the kind when there are none. */
  public List<TokenRange> targets(TargetKind kind) {
    List<TokenRange> ranges = kind == TargetKind.TOOL_CALL ? toolCallTokens : responseTokens;
    if (ranges.isEmpty()) {
      throw new IllegalArgumentException(
          "the rollout has no "
              + kind
              + " tokens to attribute"
              + (kind == TargetKind.TOOL_CALL
                  ? " (the turn calls no tool; use target response)"
                  : ""));
    }
    return ranges;
  }

  private static void checkTargets(
      String what, List<TokenRange> targets, List<TokenSpan> blocks, int length) {
    for (TokenRange r : targets) {
      if (r.from() < 1 || r.to() > length) {
        throw new IllegalArgumentException(
            what
                + " tokens "
                + r
                + " must lie in [1, "
                + length
                + ") (the first token has no prediction)");
      }
      for (TokenSpan b : blocks) {
        if (b.start() < r.to() && r.from() < b.end()) {
          throw new IllegalArgumentException(what + " tokens " + r + " overlap input block " + b);
        }
      }
    }
  }

  private static boolean overlap(TokenSpan a, TokenSpan b) {
    return a.start() < b.end() && b.start() < a.end();
  }
}
