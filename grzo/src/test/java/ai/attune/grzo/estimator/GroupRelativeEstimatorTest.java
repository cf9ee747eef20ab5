package ai.attune.grzo.estimator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The estimator formulas of grzo.md §2 against values computed by hand. */
@Tag("pure")
class GroupRelativeEstimatorTest {
  static final double[] PLUS = {1.0, 2.0, 0.5, 1.5};
  static final double[] MINUS = {0.8, 2.4, 0.5, 1.1};

  // δ = (ℓ+ − ℓ−)/2 = [0.1, -0.2, 0.0, 0.2]; mean 0.025;
  // sample std = sqrt(((.075)² + (.225)² + (.025)² + (.175)²)/3) = sqrt(0.0291667) = 0.170783
  // (torch's delta.std(), unbiased)

  @Test
  void twoNormDividesDeltasByTheirStdWithoutSubtractingTheMean() {
    double[] a = GroupRelativeEstimator.paperDefault().advantages(PLUS, MINUS, 1e-3);
    double std = Math.sqrt(0.0875 / 3) + 1e-8;
    assertThat(a)
        .containsExactly(new double[] {0.1 / std, -0.2 / std, 0.0, 0.2 / std}, within(1e-9));
    assertThat(a[0]).isCloseTo(0.585540, within(1e-6));
  }

  @Test
  void twoIsTheRawHalfDifference() {
    double[] a = new GroupRelativeEstimator(EstimatorMode.TWO, 0, 0).advantages(PLUS, MINUS, 1);
    assertThat(a).containsExactly(new double[] {0.1, -0.2, 0.0, 0.2}, within(1e-12));
  }

  @Test
  void oneSidedCentresThePlusLossesAndDoesNotDivideBySigma() {
    // mean ℓ+ = 1.25, sample std = sqrt((.0625 + .5625 + .5625 + .0625)/3) = 0.645497
    double[] a = new GroupRelativeEstimator(EstimatorMode.ONE, 0, 0).advantages(PLUS, null, 0.01);
    assertThat(a[0]).isCloseTo(-0.25 / 0.645497, within(1e-6));
    assertThat(a[1]).isCloseTo(0.75 / 0.645497, within(1e-6));
  }

  @Test
  void stepScaleOwnsTheDivisorOfEachMode() {
    assertThat(GroupRelativeEstimator.paperDefault().stepScale(0.1, 1e-3, 4))
        .isCloseTo(0.1 / (2e-3 * 4), within(1e-12));
    assertThat(new GroupRelativeEstimator(EstimatorMode.TWO, 0, 0).stepScale(0.1, 1e-3, 4))
        .isCloseTo(12.5, within(1e-12));
    assertThat(new GroupRelativeEstimator(EstimatorMode.ONE, 0, 0).stepScale(0.1, 1e-3, 4))
        .isCloseTo(25, within(1e-12));
    assertThat(new GroupRelativeEstimator(EstimatorMode.UNIFORM, 0, 0).stepScale(0.1, 1e-3, 4))
        .isCloseTo(25, within(1e-12));
  }

  @Test
  void aBatchOfOneIsRefusedByNormalisingModesUnlessAStdFloorIsSet() {
    double[] one = {1.0};
    for (EstimatorMode mode : new EstimatorMode[] {EstimatorMode.TWO_NORM, EstimatorMode.ONE}) {
      assertThatThrownBy(
              () ->
                  new GroupRelativeEstimator(mode, 0, 0).advantages(one, new double[] {0.5}, 1e-3))
          .hasMessageContaining("at least 2 examples")
          .hasMessageContaining("std_floor");
    }
    double[] floored =
        new GroupRelativeEstimator(EstimatorMode.TWO_NORM, 0.5, 0)
            .advantages(one, new double[] {0.5}, 1e-3);
    assertThat(floored[0]).isCloseTo(0.25 / (0.5 + 1e-8), within(1e-12));
    assertThat(
            new GroupRelativeEstimator(EstimatorMode.TWO, 0, 0)
                .advantages(one, new double[] {0.5}, 1e-3))
        .containsExactly(0.25);
  }

  @Test
  void uniformIsAllOnes() {
    assertThat(new GroupRelativeEstimator(EstimatorMode.UNIFORM, 0, 0).advantages(PLUS, MINUS, 1))
        .containsOnly(1.0);
  }

  @Test
  void stdFloorAndClipApply() {
    double[] tiny = {1.0, 1.0};
    double[] tinyMinus = {1.0 - 2e-6, 1.0 + 2e-6}; // δ = ±1e-6, std 1e-6
    double[] floored =
        new GroupRelativeEstimator(EstimatorMode.TWO_NORM, 1e-3, 0).advantages(tiny, tinyMinus, 1);
    assertThat(floored[0]).isCloseTo(1e-6 / (1e-3 + 1e-8), within(1e-12));
    double[] clipped =
        new GroupRelativeEstimator(EstimatorMode.TWO_NORM, 0, 0.5).advantages(PLUS, MINUS, 1);
    assertThat(clipped).containsExactly(new double[] {0.5, -0.5, 0.0, 0.5}, within(1e-12));
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> new GroupRelativeEstimator(EstimatorMode.TWO, -1, 0))
        .hasMessageContaining(">= 0");
    assertThatThrownBy(() -> EstimatorMode.parse("three")).hasMessageContaining("three");
    assertThatThrownBy(
            () ->
                new GroupRelativeEstimator(EstimatorMode.TWO, 0, 0)
                    .advantages(PLUS, new double[1], 1))
        .hasMessageContaining("one loss per example");
  }
}
