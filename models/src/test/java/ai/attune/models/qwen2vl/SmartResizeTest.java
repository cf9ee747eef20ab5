package ai.attune.models.qwen2vl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * HF's {@code smart_resize} on sizes computed by hand (factor 28, min 56² = 3136, max 28²·1280 =
 * 1003520 unless stated).
 */
@Tag("pure")
class SmartResizeTest {
  private static int[] resize(int h, int w) {
    return Qwen2VlImageProcessor.smartResize(h, w, 28, 3136, 1003520);
  }

  @Test
  void roundsToNearestMultiple() {
    // 75/28 = 2.68 -> 3 -> 84; 100/28 = 3.57 -> 4 -> 112 (the fixture image)
    assertThat(resize(75, 100)).containsExactly(84, 112);
    // 480/28 = 17.1 -> 17 -> 476; 640/28 = 22.86 -> 23 -> 644
    assertThat(resize(640, 480)).containsExactly(644, 476);
  }

  @Test
  void tiesRoundToEvenLikePython() {
    // 42/28 = 1.5 -> 2 and 70/28 = 2.5 -> 2: both 56, area 3136 = min
    assertThat(resize(42, 70)).containsExactly(56, 56);
  }

  @Test
  void tooSmallIsScaledUpAndCeiled() {
    // 28x28: area 784 < 3136, beta = sqrt(3136/784) = 2 -> ceil(56/28)*28 = 56
    assertThat(resize(28, 28)).containsExactly(56, 56);
    // 30x40: 28x28 < min; beta = sqrt(3136/1200) = 1.6166; 48.5/28 -> 2 -> 56; 64.7/28 -> 3 -> 84
    assertThat(resize(30, 40)).containsExactly(56, 84);
  }

  @Test
  void tooLargeIsScaledDownAndFloored() {
    // 1008x1988 > max; beta = sqrt(2e6/1003520) = 1.41173; 708.3/28 -> 25 -> 700; 1416.7/28
    // -> 50 -> 1400 (area 980000 <= max)
    assertThat(resize(1000, 2000)).containsExactly(700, 1400);
    assertThat(resize(2000, 1000)).containsExactly(1400, 700);
    // 3000x4000: beta = sqrt(12e6/1003520) = 3.4580; 867.5/28 -> 30 -> 840; 1156.7/28 -> 41
    assertThat(resize(3000, 4000)).containsExactly(840, 1148);
    // Qwen2.5-VL checkpoints allow 28²·16384 = 12845056: 2996x4004 fits as rounded
    assertThat(Qwen2VlImageProcessor.smartResize(3000, 4000, 28, 3136, 12845056))
        .containsExactly(2996, 4004);
  }

  @Test
  void aspectRatioUpTo200IsKept() {
    assertThat(resize(28, 5600)).containsExactly(28, 5600);
    assertThatThrownBy(() -> resize(28, 5700))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("aspect ratio");
  }

  @Test
  void sideShorterThanFactorIsRefused() {
    assertThatThrownBy(() -> resize(27, 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("27x100");
  }

  @Test
  void everyResultIsAMultipleWithinBounds() {
    for (int h = 28; h < 3000; h += 97) {
      for (int w = 28; w < 3000; w += 89) {
        if ((double) Math.max(h, w) / Math.min(h, w) > 200) {
          continue;
        }
        int[] s = resize(h, w);
        assertThat(s[0] % 28).isZero();
        assertThat(s[1] % 28).isZero();
        assertThat((long) s[0] * s[1]).isBetween(3136L, 1003520L);
      }
    }
  }
}
