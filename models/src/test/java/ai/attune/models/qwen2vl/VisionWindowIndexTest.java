package ai.attune.models.qwen2vl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The window order of HF's get_window_index, derived by hand. */
@Tag("pure")
class VisionWindowIndexTest {
  @Test
  void twoImagesCutIntoWindowsOfTwoByTwoMergedTokens() {
    // image 0: 6 x 8 patches = 3 x 4 merged tokens, windows 2 x 2:
    //   0  1 |  2  3
    //   4  5 |  6  7
    //   -----+------
    //   8  9 | 10 11
    // image 1: 10 x 6 patches = 5 x 3 merged tokens (12 + r * 3 + c), windows 2 x 2:
    //   12 13 | 14
    //   15 16 | 17
    //   18 19 | 20
    //   21 22 | 23
    //   24 25 | 26
    VisionWindowIndex w = VisionWindowIndex.of(new long[][] {{1, 6, 8}, {1, 10, 6}}, 2, 2);
    assertThat(w.order())
        .containsExactly(
            0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 14, 17, 18, 19, 21, 22, 20, 23,
            24, 25, 26);
    // window sizes in patches (4 per merged token): 16 16 8 8 | 16 8 16 8 8 4
    assertThat(w.windowStarts()).containsExactly(0, 16, 32, 40, 48, 64, 72, 88, 96, 104, 108);
    int[] inverse = w.inverse();
    for (int k = 0; k < inverse.length; k++) {
      assertThat(w.order()[inverse[k]]).isEqualTo(k);
    }
  }

  @Test
  void gridThatFillsItsWindowsExactlyHasNoEmptyWindows() {
    // 4 x 4 merged tokens in 2 x 2 windows; HF pads a whole empty window row and column, which
    // unique_consecutive drops from the boundaries
    VisionWindowIndex w = VisionWindowIndex.of(new long[][] {{1, 8, 8}}, 2, 2);
    assertThat(w.order()).containsExactly(0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15);
    assertThat(w.windowStarts()).containsExactly(0, 16, 32, 48, 64);
  }

  @Test
  void framesOfAVideoLikeGridAreWindowedOneAfterTheOther() {
    VisionWindowIndex w = VisionWindowIndex.of(new long[][] {{2, 2, 6}}, 2, 2);
    assertThat(w.order()).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(w.windowStarts()).containsExactly(0, 8, 12, 20, 24);
  }
}
