package ai.attune.iapo.grpo;

import static ai.attune.iapo.grpo.GrpoTestArrays.d1;
import static ai.attune.iapo.grpo.GrpoTestArrays.d2;
import static ai.attune.iapo.grpo.GrpoTestArrays.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.iapo.grpo.TokenMasks.TokenRole;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Ratios, clipping, masks, aggregation, k3 and entropy against hand-computed values. */
@Tag("engine")
class PolicyLossPiecesTest {
  static final double OLD = -1.0;

  /** Ratios per token; row 0 has A = 2, row 1 has A = -1. */
  static final double[][] RHO = {{1.35, 0.75, 1.25}, {0.67, 1.35, 0.9}};

  final NDManager m = Engines.newManager(DevicePolicy.CPU);

  @AfterEach
  void close() {
    m.close();
  }

  NDArray logp() {
    double[][] v = new double[2][3];
    for (int b = 0; b < 2; b++) {
      for (int t = 0; t < 3; t++) {
        v[b][t] = OLD + Math.log(RHO[b][t]);
      }
    }
    return d2(m, v);
  }

  NDArray old() {
    return d2(m, new double[][] {{OLD, OLD, OLD}, {OLD, OLD, OLD}});
  }

  NDArray ones() {
    return d2(m, new double[][] {{1, 1, 1}, {1, 1, 1}});
  }

  @Test
  void clippingBindsOnlyWhereItShould() {
    NDArray ratio = ClippedSurrogate.ratio(logp(), old(), ones());
    assertThat(ratio.toDoubleArray())
        .containsExactly(new double[] {1.35, 0.75, 1.25, 0.67, 1.35, 0.9}, within(1e-12));
    NDArray adv = d1(m, 2, -1);
    // A > 0: 1.35 and 1.25 clipped to 1.2; 0.75 not (the lower bound binds only for A < 0).
    // A < 0: 0.67 clipped to 0.8; 1.35 not (the upper bound binds only for A > 0).
    assertThat(ClippedSurrogate.objective(ratio, adv, 0.2, 0.2).toDoubleArray())
        .containsExactly(new double[] {2.4, 1.5, 2.4, -0.8, -1.35, -0.9}, within(1e-12));
    ClippedSurrogate.ClipFractions f = ClippedSurrogate.clipFractions(ratio, adv, ones(), 0.2, 0.2);
    assertThat(f.low()).isCloseTo(1.0 / 6, within(1e-12));
    assertThat(f.high()).isCloseTo(2.0 / 6, within(1e-12));
    assertThat(f.region()).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void aLargerEpsilonHighLetsMoreIncreaseThrough() {
    NDArray ratio = ClippedSurrogate.ratio(logp(), old(), ones());
    NDArray adv = d1(m, 2, -1);
    assertThat(ClippedSurrogate.objective(ratio, adv, 0.2, 0.28).toDoubleArray())
        .containsExactly(new double[] {2.56, 1.5, 2.5, -0.8, -1.35, -0.9}, within(1e-12));
    ClippedSurrogate.ClipFractions f =
        ClippedSurrogate.clipFractions(ratio, adv, ones(), 0.2, 0.28);
    assertThat(f.high()).isCloseTo(1.0 / 6, within(1e-12));
    assertThat(f.low()).isCloseTo(1.0 / 6, within(1e-12));
  }

  @Test
  void maskedTokensContributeNothingWhateverTheyHold() {
    NDArray mask = d2(m, new double[][] {{1, 1, 0}, {1, 0, 1}});
    double[] lp = logp().toDoubleArray();
    lp[2] = 1e4;
    lp[4] = -1e4;
    NDArray garbage = m.create(lp, new Shape(2, 3));
    NDArray ratio = ClippedSurrogate.ratio(garbage, old(), mask);
    assertThat(ratio.toDoubleArray())
        .containsExactly(new double[] {1.35, 0.75, 1, 0.67, 1, 0.9}, within(1e-12));
    GrpoLossConfig c = GrpoLossConfig.builder().optLossType(LossType.DAPO).build();
    GrpoLoss.Output out = GrpoLoss.compute(garbage, old(), null, d1(m, 2, -1), mask, c, 3);
    // -(2.4 + 1.5 - 0.8 - 0.9) / 4 policy tokens
    assertThat(scalar(out.loss())).isCloseTo(-(2.4 + 1.5 - 0.8 - 0.9) / 4, within(1e-12));
    assertThat(out.clip().high()).isCloseTo(1.0 / 4, within(1e-12));
    assertThat(out.clip().low()).isCloseTo(1.0 / 4, within(1e-12));
  }

  @Test
  void eachLossTypeAggregatesARaggedBatchItsWay() {
    NDArray loss = d2(m, new double[][] {{1, 2, 3, 100}, {5, 100, 100, 100}});
    NDArray mask = d2(m, new double[][] {{1, 1, 1, 0}, {1, 0, 0, 0}});
    assertThat(scalar(LossType.GRPO.aggregate(loss, mask, 4)))
        .isCloseTo((2 + 5) / 2.0, within(1e-12));
    assertThat(scalar(LossType.DR_GRPO.aggregate(loss, mask, 4)))
        .isCloseTo(11.0 / 8, within(1e-12));
    assertThat(scalar(LossType.DR_GRPO.aggregate(loss, mask, 10)))
        .isCloseTo(11.0 / 20, within(1e-12));
    assertThat(scalar(LossType.DAPO.aggregate(loss, mask, 4))).isCloseTo(11.0 / 4, within(1e-12));
    NDArray emptyRow = d2(m, new double[][] {{1, 1, 1, 0}, {0, 0, 0, 0}});
    assertThat(scalar(LossType.GRPO.aggregate(loss, emptyRow, 4))).isCloseTo(1.0, within(1e-12));
    assertThat(scalar(LossType.DR_GRPO.aggregate(loss, mask, 3)))
        .as("the constant bounds the policy tokens of a row (3), not its width (4)")
        .isCloseTo(11.0 / 6, within(1e-12));
    assertThatThrownBy(() -> LossType.DR_GRPO.aggregate(loss, mask, 2))
        .hasMessage(
            "dr_grpo: max completion length 2 is shorter than a completion of 3"
                + " policy tokens");
  }

  @Test
  void k3MatchesItsFormula() {
    NDArray lp = d2(m, new double[][] {{-1, -2, -0.3, 5}});
    NDArray ref = d2(m, new double[][] {{-1.5, -1, -0.3, 0}});
    NDArray mask = d2(m, new double[][] {{1, 1, 1, 0}});
    double k1 = Math.exp(-0.5) + 0.5 - 1;
    double k2 = Math.exp(1) - 1 - 1;
    assertThat(KlPenalty.k3(lp, ref, mask).toDoubleArray())
        .containsExactly(new double[] {k1, k2, 0, 0}, within(1e-12));
    assertThat(k1).isCloseTo(0.1065307, within(1e-7));
    assertThat(k2).isCloseTo(0.7182818, within(1e-7));
  }

  @Test
  void entropyFromLogits() {
    NDArray logits = d2(m, new double[][] {{0, 0, 0, 0}, {Math.log(1), Math.log(3), -1e30, -1e30}});
    double h2 = -(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75));
    assertThat(Entropy.fromLogits(logits).toDoubleArray())
        .containsExactly(new double[] {Math.log(4), h2}, within(1e-12));
    assertThat(h2).isCloseTo(0.5623351, within(1e-7));
  }

  @Test
  void policyMaskKeepsOnlyGeneratedTokens() {
    TokenRole p = TokenRole.PROMPT;
    TokenRole g = TokenRole.POLICY;
    TokenRole o = TokenRole.TOOL_OUTPUT;
    NDArray mask =
        TokenMasks.policyMask(
            m, new TokenRole[][] {{p, p, g, g, o, o, g}, {p, g, TokenRole.PADDING}});
    assertThat(mask.getShape()).isEqualTo(new Shape(2, 7));
    assertThat(mask.toFloatArray()).containsExactly(0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0);
    NDArray v = m.create(new float[] {9, 9, 1, 2, 9, 9, 3, 9, 4, 9, 9, 9, 9, 9}, new Shape(2, 7));
    assertThat(TokenMasks.maskedMean(v, mask)).isEqualTo(2.5);
  }
}
