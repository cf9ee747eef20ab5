package ai.attune.models.qwen2vl.chat;

import ai.attune.models.qwen2vl.ProcessedImage;
import ai.attune.models.text.EncodedText;
import ai.attune.models.text.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A chat rendered to the model's prompt text, with the character range of each input block and the
 * images in the order their pads appear.
 *
 * @param text the prompt, special tokens written as text
 * @param spans the blocks, in text order, non-overlapping and non-empty
 * @param images the processed images, in the order of their {@code <|image_pad|>} runs
 */
public record RenderedPrompt(String text, List<Span> spans, List<ProcessedImage> images) {

  /** Characters {@code [start, end)} of {@link #text()} that belong to block {@code kind}. */
  public record Span(BlockKind kind, int start, int end) {
    public Span {
      Objects.requireNonNull(kind, "kind");
      if (start < 0 || end <= start) {
        throw new IllegalArgumentException("bad span [" + start + ", " + end + ")");
      }
    }
  }

  /** Tokens {@code [start, end)} that belong to block {@code kind}; empty when start == end. */
  public record TokenSpan(BlockKind kind, int start, int end) {}

  public RenderedPrompt {
    Objects.requireNonNull(text, "text");
    spans = List.copyOf(spans);
    images = List.copyOf(images);
    int last = 0;
    for (Span s : spans) {
      if (s.start() < last || s.end() > text.length()) {
        throw new IllegalArgumentException(
            "spans overlap, are out of order or past the text: " + s);
      }
      last = s.end();
    }
  }

  /** The text of one span. */
  public String textOf(Span span) {
    return text.substring(span.start(), span.end());
  }

  /** Tokenizes {@link #text()} and maps the block spans onto token ranges. */
  public TokenizedPrompt tokenize(TextTokenizer tokenizer) {
    EncodedText enc = tokenizer.encodeWithOffsets(text);
    return new TokenizedPrompt(enc.ids(), tokenSpans(enc.starts(), enc.ends()));
  }

  /**
   * The token range of each span, given each token's character range. A token belongs to the span
   * that contains its first character; a token that starts outside every span but reaches into one
   * (a merge across a block boundary) belongs to that span. Each token thus belongs to at most one
   * block, and attribution can sum token scores per block.
   */
  public List<TokenSpan> tokenSpans(int[] tokenStarts, int[] tokenEnds) {
    int[] first = new int[spans.size()];
    int[] end = new int[spans.size()];
    Arrays.fill(first, -1);
    for (int t = 0; t < tokenStarts.length; t++) {
      int owner = owner(tokenStarts[t], tokenEnds[t]);
      if (owner >= 0) {
        if (first[owner] < 0) {
          first[owner] = t;
        }
        end[owner] = t + 1;
      }
    }
    List<TokenSpan> out = new ArrayList<>(spans.size());
    for (int i = 0; i < spans.size(); i++) {
      int start = first[i] >= 0 ? first[i] : firstTokenEndingAfter(spans.get(i).start(), tokenEnds);
      out.add(new TokenSpan(spans.get(i).kind(), start, first[i] >= 0 ? end[i] : start));
    }
    return out;
  }

  private int owner(int start, int end) {
    for (int i = 0; i < spans.size(); i++) {
      Span s = spans.get(i);
      if (start >= s.start() && start < s.end()) {
        return i;
      }
    }
    for (int i = 0; i < spans.size(); i++) {
      Span s = spans.get(i);
      if (start < s.start() && end > s.start()) {
        return i;
      }
    }
    return -1;
  }

  private static int firstTokenEndingAfter(int charIndex, int[] tokenEnds) {
    for (int t = 0; t < tokenEnds.length; t++) {
      if (tokenEnds[t] > charIndex) {
        return t;
      }
    }
    return tokenEnds.length;
  }
}
