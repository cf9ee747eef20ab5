package ai.attune.iapo.rollout;

import ai.attune.models.text.TextTokenizer;
import java.util.Arrays;

/**
 * The character range each generated token covers in the turn's decoded text, found by decoding
 * growing prefixes (the tokens are never re-encoded). A prefix that ends inside a multi-byte
 * character may decode shorter than a shorter one; ends are kept non-decreasing, so such a token
 * shares its range with its neighbours.
 */
final class TokenOffsets {
  private final int[] ends; // ends[k]: characters decoded from tokens 0..k

  private TokenOffsets(int[] ends) {
    this.ends = ends;
  }

  static TokenOffsets of(TextTokenizer tokenizer, long[] tokens) {
    int[] ends = new int[tokens.length];
    int last = 0;
    for (int k = 0; k < tokens.length; k++) {
      last = Math.max(last, tokenizer.decode(Arrays.copyOf(tokens, k + 1)).length());
      ends[k] = last;
    }
    return new TokenOffsets(ends);
  }

  /** Tokens {@code [first, end)} that overlap characters {@code [start, stop)}. */
  int[] tokenRange(int start, int stop) {
    int first = 0;
    while (first < ends.length - 1 && ends[first] <= start) {
      first++;
    }
    int last = first;
    while (last < ends.length - 1 && ends[last] < stop) {
      last++;
    }
    return new int[] {first, last + 1};
  }
}
