package ai.attune.iapo.warmstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.attune.core.optim.AdamWConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Learning-rate schedules as HF computes them, and validation. */
@Tag("pure")
class WarmStartConfigTest {
  static final AdamWConfig OPT = AdamWConfig.builder(0.01).build();

  @Test
  void linearDecayWithWarmupFollowsHf() {
    WarmStartConfig c = new WarmStartConfig(10, 2, OPT, 0, WarmStartConfig.Schedule.LINEAR, 2);
    double[] expected = {0, 0.005, 0.01, 0.00875, 0.0075, 0.00625, 0.005, 0.00375, 0.0025, 0.00125};
    for (int s = 0; s < 10; s++) {
      assertThat(c.learningRate(s)).as("step %d", s).isCloseTo(expected[s], within(1e-12));
    }
    WarmStartConfig constant =
        new WarmStartConfig(10, 2, OPT, 0, WarmStartConfig.Schedule.CONSTANT, 0);
    assertThat(constant.learningRate(9)).isEqualTo(0.01);
    assertThat(new WarmStartConfig(4, 1, OPT, 0).learningRate(3)).isCloseTo(0.0025, within(1e-12));
  }

  @Test
  void badValuesAreRefused() {
    assertThatThrownBy(() -> new WarmStartConfig(0, 1, OPT, 0))
        .hasMessageContaining("steps must be >= 1");
    assertThatThrownBy(() -> new WarmStartConfig(5, 0, OPT, 0)).hasMessageContaining("batch size");
    assertThatThrownBy(() -> new WarmStartConfig(5, 1, OPT, 0, WarmStartConfig.Schedule.LINEAR, 5))
        .hasMessageContaining("warm-up steps must be in [0, 5)");
  }
}
