package ai.attune.iapo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.attune.iapo.train.ShapedRewards.NoToolDivergence;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Shaped rewards of mixed groups: skipping the tool call never lowers the penalty. */
@Tag("pure")
class ShapedRewardsTest {
  static final double NAN = Double.NaN;

  @Test
  void aRolloutWithoutAToolCallGetsItsGroupsLargestDivergence() {
    // two groups of 3: group 0 has one rollout without a tool call, group 1 has none with one
    double[] rOut = {1.0, 1.0, 1.0, 0.5, 0.0, 0.5};
    double[] d = {0.2, 0.7, NAN, NAN, NAN, NAN};
    double[] eff = ShapedRewards.effectiveDivergences(d, 3, NoToolDivergence.GROUP_MAX);
    assertThat(eff).containsExactly(0.2, 0.7, 0.7, NAN, NAN, NAN);
    double[] shaped = ShapedRewards.shape(rOut, eff, 2.0);
    assertThat(shaped[0]).isCloseTo(0.6, within(1e-12));
    assertThat(shaped[1]).isCloseTo(-0.4, within(1e-12));
    assertThat(shaped[2]).as("no tool call, same outcome").isCloseTo(-0.4, within(1e-12));
    assertThat(Arrays.copyOfRange(shaped, 3, 6))
        .as("a group without any D keeps r_out")
        .containsExactly(0.5, 0.0, 0.5);
    for (int i = 0; i < 2; i++) {
      assertThat(shaped[2]).as("skipping tools never pays").isLessThanOrEqualTo(shaped[i]);
    }
  }

  @Test
  void aConfiguredDmaxReplacesTheGroupMaximum() {
    double[] d = {0.2, NAN, 0.4, NAN};
    NoToolDivergence dMax = NoToolDivergence.parse("3.5");
    assertThat(ShapedRewards.effectiveDivergences(d, 4, dMax)).containsExactly(0.2, 3.5, 0.4, 3.5);
    assertThat(NoToolDivergence.parse("group_max")).isEqualTo(NoToolDivergence.GROUP_MAX);
    assertThatThrownBy(() -> NoToolDivergence.parse("max")).hasMessageContaining("group_max");
    assertThatThrownBy(() -> NoToolDivergence.parse("-1")).hasMessageContaining(">= 0");
  }

  @Test
  void thePlaceboPermutesWithinGroupsOnly() {
    double[] d = {1, 2, 3, 4, 10, 20, 30, 40};
    double[] a = ShapedRewards.shuffledWithinGroups(d, 4, 7);
    assertThat(a).isEqualTo(ShapedRewards.shuffledWithinGroups(d, 4, 7));
    assertThat(Arrays.copyOfRange(a, 0, 4)).containsExactlyInAnyOrder(1, 2, 3, 4);
    assertThat(Arrays.copyOfRange(a, 4, 8)).containsExactlyInAnyOrder(10, 20, 30, 40);
    boolean moved = false;
    for (long seed = 0; seed < 5; seed++) {
      moved |= !Arrays.equals(ShapedRewards.shuffledWithinGroups(d, 4, seed), d);
    }
    assertThat(moved).isTrue();
    assertThatThrownBy(() -> ShapedRewards.shuffledWithinGroups(d, 3, 1))
        .hasMessageContaining("not groups of 3");
  }
}
