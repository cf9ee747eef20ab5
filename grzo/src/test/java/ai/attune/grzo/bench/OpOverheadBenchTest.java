package ai.attune.grzo.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link OpOverheadBench} times every way of calling an op it lists (the figures are not tested).
 */
@Tag("engine")
class OpOverheadBenchTest {

  @Test
  void timesEveryOpOnce() {
    var rows = OpOverheadBench.run(5);
    assertThat(rows).hasSize(14);
    assertThat(rows).extracting(OpOverheadBench.Row::op).doesNotHaveDuplicates();
    assertThat(rows).allSatisfy(r -> assertThat(r.microsPerCall()).isPositive());
  }

  @Test
  void refusesNoCalls() {
    assertThatThrownBy(() -> OpOverheadBench.run(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("calls must be >= 1");
  }
}
