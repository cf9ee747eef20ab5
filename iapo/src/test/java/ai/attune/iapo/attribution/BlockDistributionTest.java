package ai.attune.iapo.attribution;

import static ai.attune.models.qwen2vl.chat.BlockKind.IMAGE;
import static ai.attune.models.qwen2vl.chat.BlockKind.QUESTION;
import static ai.attune.models.qwen2vl.chat.BlockKind.SYSTEM;
import static ai.attune.models.qwen2vl.chat.BlockKind.TOOLS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.attune.iapo.attribution.AttributionConfig.Normalization;
import ai.attune.iapo.attribution.AttributionConfig.ScoreSign;
import ai.attune.models.qwen2vl.chat.BlockKind;
import ai.attune.models.qwen2vl.chat.RenderedPrompt.TokenSpan;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Block sums and their normalisation, on scores chosen by hand. */
@Tag("pure")
class BlockDistributionTest {
  // Tokens 0..7; SYSTEM = {0, 1}, QUESTION = {3} and {5, 6} (two spans), token 2, 4, 7 in none.
  private static final float[] SCORES = {0.5f, -1.5f, 9f, 2f, 9f, -0.25f, 0.75f, 9f};
  private static final List<TokenSpan> BLOCKS =
      List.of(
          new TokenSpan(SYSTEM, 0, 2),
          new TokenSpan(QUESTION, 3, 4),
          new TokenSpan(IMAGE, 4, 4),
          new TokenSpan(QUESTION, 5, 7));

  @Test
  void absoluteAndSignedBlockSumsOverTheBlocksPresent() {
    Map<BlockKind, Double> abs = BlockAttribution.blockSums(SCORES, BLOCKS, ScoreSign.ABSOLUTE);
    assertThat(abs).containsExactly(Map.entry(SYSTEM, 2.0), Map.entry(QUESTION, 3.0));
    Map<BlockKind, Double> signed = BlockAttribution.blockSums(SCORES, BLOCKS, ScoreSign.SIGNED);
    assertThat(signed).containsExactly(Map.entry(SYSTEM, -1.0), Map.entry(QUESTION, 2.5));
    // The empty IMAGE span leaves the block absent, and so do spans past the attributed tokens.
    assertThat(BlockAttribution.blockSums(new float[] {1f, 2f, 3f}, BLOCKS, ScoreSign.ABSOLUTE))
        .containsExactly(Map.entry(SYSTEM, 3.0));
  }

  @Test
  void absSumNormalisationSumsToOne() {
    BlockDistribution abs =
        BlockDistribution.of(
            BlockAttribution.blockSums(SCORES, BLOCKS, ScoreSign.ABSOLUTE), Normalization.ABS_SUM);
    assertThat(abs.probabilities())
        .containsExactly(Map.entry(SYSTEM, 0.4), Map.entry(QUESTION, 0.6));
    BlockDistribution signed =
        BlockDistribution.of(
            BlockAttribution.blockSums(SCORES, BLOCKS, ScoreSign.SIGNED), Normalization.ABS_SUM);
    // |−1| / 3.5 and 2.5 / 3.5
    assertThat(signed.get(SYSTEM)).isCloseTo(1 / 3.5, within(1e-15));
    assertThat(signed.get(QUESTION)).isCloseTo(2.5 / 3.5, within(1e-15));
    assertThat(signed.get(IMAGE)).isZero();
    assertThat(signed.kinds()).containsExactly(SYSTEM, QUESTION);
    assertThat(Fixtures.sum(signed.probabilities().values())).isCloseTo(1, within(1e-15));
  }

  @Test
  void softmaxNormalisationSumsToOneAndKeepsSignedOrder() {
    BlockDistribution d =
        BlockDistribution.of(Map.of(SYSTEM, 1.0, QUESTION, 2.0, TOOLS, 3.0), Normalization.SOFTMAX);
    double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    assertThat(d.get(SYSTEM))
        .isCloseTo(Math.exp(1) / z, within(1e-15))
        .isCloseTo(0.0900305732, within(1e-10));
    assertThat(d.get(TOOLS)).isCloseTo(Math.exp(3) / z, within(1e-15));
    assertThat(Fixtures.sum(d.probabilities().values())).isCloseTo(1, within(1e-15));
    BlockDistribution signed =
        BlockDistribution.of(
            BlockAttribution.blockSums(SCORES, BLOCKS, ScoreSign.SIGNED), Normalization.SOFTMAX);
    assertThat(signed.get(SYSTEM)).isCloseTo(1 / (1 + Math.exp(3.5)), within(1e-15));
    // Large sums do not overflow: the maximum is subtracted first.
    BlockDistribution big =
        BlockDistribution.of(Map.of(SYSTEM, 1000.0, QUESTION, 1000.0), Normalization.SOFTMAX);
    assertThat(big.get(SYSTEM)).isEqualTo(0.5);
  }

  @Test
  void allZeroSumsGiveTheUniformDistributionAndNoBlockIsAnError() {
    BlockDistribution d =
        BlockDistribution.of(Map.of(SYSTEM, 0.0, IMAGE, 0.0, TOOLS, 0.0), Normalization.ABS_SUM);
    assertThat(d.get(IMAGE)).isEqualTo(1.0 / 3);
    assertThatThrownBy(() -> BlockDistribution.of(Map.of(), Normalization.ABS_SUM))
        .hasMessageContaining("no input block is present");
  }

  @Test
  void invalidDistributionsAreRefused() {
    assertThatThrownBy(() -> new BlockDistribution(Map.of(SYSTEM, 0.5, QUESTION, 0.4)))
        .hasMessageContaining("sum to 0.9");
    assertThatThrownBy(() -> new BlockDistribution(Map.of(SYSTEM, 1.5, QUESTION, -0.5)))
        .hasMessageContaining("must be finite and >= 0");
    assertThatThrownBy(() -> new BlockDistribution(Map.of(SYSTEM, Double.NaN)))
        .hasMessageContaining("must be finite and >= 0");
  }
}
