package ai.attune.models.qwen2vl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** M-RoPE positions derived by hand, as HF's get_rope_index gives them. */
@Tag("pure")
class MropePositionsTest {
  // the fixture's special ids: vision start 3, vision end 4, image pad 5, video pad 6
  private static final int START = 3;
  private static final int END = 4;
  private static final int IMG = 5;

  private static MropePositions of(long[][] ids, long[][] mask, long[][] grids) {
    return MropePositions.of(ids, mask, grids, IMG, 6, START, 2);
  }

  /** The fixture prompt: 3 text, vision start, 12 image tokens (3 x 4 merged), end, 4 text. */
  static final long[] FIXTURE = {
    30, 31, 32, START, IMG, IMG, IMG, IMG, IMG, IMG, IMG, IMG, IMG, IMG, IMG, IMG, END, 40, 41, 42,
    43
  };

  @Test
  void fixturePromptPlacesTheImageOnItsMergedGrid() {
    MropePositions p =
        of(new long[][] {FIXTURE}, new long[][] {ones(21)}, new long[][] {{1, 6, 8}});
    long[][][] pos = p.prompt();
    // text 0..3, image from 4: t = 4, h = 4 + row, w = 4 + column, then text from 4 + 4 = 8
    assertThat(pos[0][0])
        .containsExactly(0, 1, 2, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 8, 9, 10, 11, 12);
    assertThat(pos[1][0])
        .containsExactly(0, 1, 2, 3, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6, 8, 9, 10, 11, 12);
    assertThat(pos[2][0])
        .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 4, 5, 6, 7, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    assertThat(p.ropeDeltas()).containsExactly(13 - 21);
    long[][][] next = p.window(21, 2, 1); // two decoding steps after the prompt
    for (int axis = 0; axis < 3; axis++) {
      assertThat(next[axis][0]).containsExactly(13, 14);
    }
  }

  @Test
  void leftPaddedBatchOfTwoPromptsWithThreeImages() {
    // row 1: 8 pads, then text, image A (4 x 4 patches: 2 x 2 merged), text, image B (2 x 4
    // patches: 1 x 2 merged), text
    long[] row1 = {
      0, 0, 0, 0, 0, 0, 0, 0, 30, START, IMG, IMG, IMG, IMG, END, 31, START, IMG, IMG, END, 40
    };
    long[] mask1 = ones(21);
    Arrays.fill(mask1, 0, 8, 0);
    MropePositions p =
        of(
            new long[][] {FIXTURE, row1},
            new long[][] {ones(21), mask1},
            new long[][] {{1, 6, 8}, {1, 4, 4}, {1, 2, 4}});
    long[][][] pos = p.prompt();
    assertThat(pos[1][0][20]).isEqualTo(12); // row 0 as alone
    // pads get 0; 30 -> 0, start -> 1, image A from 2 (2 x 2), end -> 4, 31 -> 5, start -> 6,
    // image B from 7 (1 x 2), end -> 9, 40 -> 10
    assertThat(pos[0][1])
        .containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 2, 2, 2, 4, 5, 6, 7, 7, 9, 10);
    assertThat(pos[1][1])
        .containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 2, 3, 3, 4, 5, 6, 7, 7, 9, 10);
    assertThat(pos[2][1])
        .containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    assertThat(p.ropeDeltas()).containsExactly(13 - 21, 11 - 21);
    long[][][] step = p.window(21, 1, 2);
    assertThat(step[0]).isDeepEqualTo(new long[][] {{13}, {11}});
    assertThat(step[2]).isDeepEqualTo(new long[][] {{13}, {11}});
  }

  @Test
  void textOnlyRowGetsItsCountOfTokensAsPositions() {
    long[] text = {0, 0, 7, 8, 9};
    MropePositions p = of(new long[][] {text}, new long[][] {{0, 0, 1, 1, 1}}, new long[0][]);
    assertThat(p.prompt()[1][0]).containsExactly(0, 0, 0, 1, 2);
    assertThat(p.ropeDeltas()).containsExactly(3 - 5);
  }

  @Test
  void onePromptRowServesAnyNumberOfRowsButTwoRowsDoNotServeThree() {
    MropePositions one =
        of(new long[][] {FIXTURE}, new long[][] {ones(21)}, new long[][] {{1, 6, 8}});
    assertThat(one.window(0, 21, 3)[2][2]).containsExactly(one.prompt()[2][0]);
    MropePositions two =
        of(
            new long[][] {FIXTURE, FIXTURE},
            new long[][] {ones(21), ones(21)},
            new long[][] {{1, 6, 8}, {1, 6, 8}});
    assertThatThrownBy(() -> two.window(0, 21, 3))
        .hasMessageContaining("positions are for 2 prompt rows, the pass has 3");
  }

  @Test
  void imageCountsThatDisagreeWithTheGridsFailClearly() {
    assertThatThrownBy(
            () ->
                of(
                    new long[][] {FIXTURE},
                    new long[][] {ones(21)},
                    new long[][] {{1, 6, 8}, {1, 4, 4}}))
        .hasMessageContaining("gridThw gives 2 images but the prompts hold 1");
    assertThatThrownBy(() -> of(new long[][] {FIXTURE}, new long[][] {ones(21)}, new long[0][]))
        .hasMessageContaining("row 0 holds image 0 but gridThw gives only 0 images");
    assertThatThrownBy(
            () -> of(new long[][] {FIXTURE}, new long[][] {ones(21)}, new long[][] {{1, 8, 8}}))
        .hasMessageContaining("image 0 needs 16 image tokens from position 4, found 12");
  }

  private static long[] ones(int n) {
    long[] a = new long[n];
    Arrays.fill(a, 1);
    return a;
  }
}
