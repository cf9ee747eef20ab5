package ai.attune.models.qwen2vl.chat;

import java.util.List;

/**
 * A rendered prompt's token ids and the token range of each input block, index for index with
 * {@link RenderedPrompt#spans()}.
 *
 * @param ids token ids (owned by this record: do not modify)
 */
public record TokenizedPrompt(long[] ids, List<RenderedPrompt.TokenSpan> spans) {
  public TokenizedPrompt {
    spans = List.copyOf(spans);
  }

  /**
   * The token scores summed per block kind, indexed by {@link BlockKind#ordinal()}; scores are
   * summed as given (pass absolute values for IAPO's default of absolute scores).
   */
  public double[] sumPerBlock(float[] tokenScores) {
    if (tokenScores.length != ids.length) {
      throw new IllegalArgumentException(
          "expected " + ids.length + " token scores, got " + tokenScores.length);
    }
    double[] sums = new double[BlockKind.values().length];
    for (RenderedPrompt.TokenSpan s : spans) {
      for (int t = s.start(); t < s.end(); t++) {
        sums[s.kind().ordinal()] += tokenScores[t];
      }
    }
    return sums;
  }
}
