package ai.attune.models.attribution;

/**
 * Tokens {@code [from, to)} of a sequence: a run of target tokens (the tool call of a rollout turn)
 * or of an input block.
 */
public record TokenRange(int from, int to) {
  public TokenRange {
    if (from < 0 || to <= from) {
      throw new IllegalArgumentException(
          "token range [" + from + ", " + to + ") is empty or negative");
    }
  }

  public int length() {
    return to - from;
  }

  /** Whether the two ranges share a token. */
  public boolean overlaps(TokenRange other) {
    return from < other.to && other.from < to;
  }

  @Override
  public String toString() {
    return "[" + from + ", " + to + ")";
  }
}
