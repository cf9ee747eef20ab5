package ai.attune.iapo.grpo;

import static ai.attune.iapo.grpo.GrpoTestArrays.d1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("engine")
class GroupAdvantagesTest {
  static final double EPS = 1e-6;
  final NDManager m = Engines.newManager(DevicePolicy.CPU);

  @AfterEach
  void close() {
    m.close();
  }

  NDArray rewards() {
    return d1(m, 1, 0, 0, 1, 0.5, 0.5, 0.5, 0.5, 3, 1, 2, 2);
  }

  @Test
  void scaledByTheGroupStandardDeviation() {
    GroupAdvantages.Result r = GroupAdvantages.compute(rewards(), 4, true, EPS);
    double s1 = Math.sqrt(1.0 / 3); // sample std of {1, 0, 0, 1}
    double s3 = Math.sqrt(2.0 / 3); // of {3, 1, 2, 2}
    double a1 = 0.5 / (s1 + EPS);
    double a3 = 1 / (s3 + EPS);
    assertThat(r.advantages().toDoubleArray())
        .containsExactly(new double[] {a1, -a1, -a1, a1, 0, 0, 0, 0, a3, -a3, 0, 0}, within(1e-12));
    assertThat(a1).isCloseTo(0.8660239, within(1e-7)); // sqrt(3)/2 less the ε shift
    assertThat(r.fracRewardZeroStd()).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(r.rewardStd()).isCloseTo((s1 + s3) / 3, within(1e-12));
    assertThat(r.metrics()).containsOnlyKeys("reward_std", "frac_reward_zero_std");
  }

  @Test
  void drGrpoOnlyCentres() {
    GroupAdvantages.Result r = GroupAdvantages.compute(rewards(), 4, false, EPS);
    assertThat(r.advantages().toDoubleArray())
        .containsExactly(
            new double[] {0.5, -0.5, -0.5, 0.5, 0, 0, 0, 0, 1, -1, 0, 0}, within(1e-12));
    assertThat(r.fracRewardZeroStd()).isCloseTo(1.0 / 3, within(1e-12));
  }

  @Test
  void aGroupOfEqualRewardsGivesExactZeros() {
    NDArray r =
        m.create(new float[] {0.7f, 0.7f, 0.7f, 0.7f, 0.1f, 0.1f, 0.1f, 0.1f}, new Shape(8));
    for (boolean scale : new boolean[] {true, false}) {
      GroupAdvantages.Result out = GroupAdvantages.compute(r, 4, scale, EPS);
      assertThat(out.advantages().toFloatArray()).containsOnly(0f);
      assertThat(out.fracRewardZeroStd()).isEqualTo(1.0);
    }
  }

  @Test
  void groupsMustDivideTheBatch() {
    assertThatThrownBy(() -> GroupAdvantages.compute(rewards(), 5, true, EPS))
        .hasMessage("need a group size >= 2 that divides the 12 rewards, got 5");
    assertThatThrownBy(() -> GroupAdvantages.compute(rewards(), 1, true, EPS))
        .hasMessageContaining("got 1");
  }
}
