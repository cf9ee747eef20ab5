package ai.attune.models;

/**
 * The table rows a model's embedding tables look up for a batch of token rows (token ids, -1 at
 * padding): what {@link LanguageModel#embeddingRows} is built from. Every result has the rows'
 * shape and -1 wherever the batch has padding.
 */
public final class EmbeddingLookups {
  private EmbeddingLookups() {}

  /** A token table: the token ids themselves. */
  public static long[][] tokens(long[][] rowTokens) {
    long[][] out = new long[rowTokens.length][];
    for (int r = 0; r < out.length; r++) {
      out[r] = rowTokens[r].clone();
    }
    return out;
  }

  /**
   * A learned position table counted over each row's tokens: the k-th unpadded token of a row (k
   * from 0) looks up row {@code first + k} (OPT: {@code first} 2; RoBERTa: padding index + 1).
   */
  public static long[][] countedPositions(long[][] rowTokens, long first) {
    long[][] out = new long[rowTokens.length][];
    for (int r = 0; r < out.length; r++) {
      out[r] = new long[rowTokens[r].length];
      long next = first;
      for (int t = 0; t < out[r].length; t++) {
        out[r][t] = rowTokens[r][t] < 0 ? -1 : next++;
      }
    }
    return out;
  }

  /** A table whose every unpadded position looks up row {@code row} (RoBERTa's token types). */
  public static long[][] constant(long[][] rowTokens, long row) {
    long[][] out = new long[rowTokens.length][];
    for (int r = 0; r < out.length; r++) {
      out[r] = new long[rowTokens[r].length];
      for (int t = 0; t < out[r].length; t++) {
        out[r][t] = rowTokens[r][t] < 0 ? -1 : row;
      }
    }
    return out;
  }
}
