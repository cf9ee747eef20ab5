package ai.attune.iapo.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The flat, token-weighted loss that micro-batches use equals the padded batch loss: the same
 * value, the same clip fractions, the same KL, and the sum over any split of the rows equals the
 * whole.
 */
@Tag("engine")
class TokenLossTest {
  static final int B = 5;
  static final int T = 7;
  final NDManager m = Engines.newManager(DevicePolicy.CPU);

  @AfterEach
  void close() {
    m.close();
  }

  @ParameterizedTest
  @EnumSource(LossType.class)
  void weightedTokenSumEqualsThePaddedBatchLossForEverySplit(LossType type) {
    Random rnd = new Random(3);
    double[] logp = new double[B * T];
    double[] old = new double[B * T];
    double[] ref = new double[B * T];
    double[] mask = new double[B * T];
    for (int i = 0; i < B * T; i++) {
      old[i] = -0.2 - 2 * rnd.nextDouble();
      logp[i] = old[i] + 0.6 * (rnd.nextDouble() - 0.5); // some ratios beyond the clip range
      ref[i] = old[i] + 0.3 * (rnd.nextDouble() - 0.5);
      mask[i] = rnd.nextDouble() < 0.6 ? 1 : 0;
    }
    mask[T] = 0; // a row with one policy token only
    for (int j = 1; j < T; j++) {
      mask[T + j] = 0;
    }
    mask[T] = 1;
    double[] adv = {1.2, -0.7, 0.0, 0.4, -1.5};
    GrpoLossConfig c =
        GrpoLossConfig.builder()
            .optLossType(type)
            .optEpsilon(0.1)
            .optEpsilonHigh(0.15)
            .optBeta(0.05)
            .build();
    GrpoLoss.Output whole =
        GrpoLoss.compute(
            m.create(logp, new Shape(B, T)),
            m.create(old, new Shape(B, T)),
            m.create(ref, new Shape(B, T)),
            m.create(adv),
            m.create(mask, new Shape(B, T)),
            c,
            T + 3);
    long count = 0;
    int[] perRow = new int[B];
    for (int i = 0; i < B * T; i++) {
      count += (long) mask[i];
      perRow[i / T] += (int) mask[i];
    }
    long total = count;
    for (int split : new int[] {1, 2, 5}) {
      double sum = 0;
      long low = 0;
      long high = 0;
      double kl = 0;
      for (int from = 0; from < B; from += split) {
        List<Integer> at = new ArrayList<>();
        for (int i = from * T; i < Math.min(B, from + split) * T; i++) {
          if (mask[i] == 1) {
            at.add(i);
          }
        }
        TokenLoss.Output part =
            TokenLoss.compute(
                pick(logp, at),
                pick(old, at),
                pick(ref, at),
                pick(i -> adv[i / T], at),
                pick(i -> type.tokenWeight(perRow[i / T], B, total, T + 3), at),
                c);
        sum += part.loss().toType(DataType.FLOAT64, false).getDouble();
        low += part.clipLow();
        high += part.clipHigh();
        kl += part.klSum();
      }
      assertThat(sum)
          .as("split %d", split)
          .isCloseTo(whole.loss().toType(DataType.FLOAT64, false).getDouble(), within(1e-12));
      assertThat((double) low / total).isCloseTo(whole.clip().low(), within(1e-12));
      assertThat((double) high / total).isCloseTo(whole.clip().high(), within(1e-12));
      assertThat(kl / total).isCloseTo(whole.kl(), within(1e-9));
    }
    assertThat(whole.clip().region()).isGreaterThan(0);
  }

  @org.junit.jupiter.api.Test
  void drGrpoRefusesARolloutLongerThanItsConstant() {
    assertThatThrownBy(() -> LossType.DR_GRPO.tokenWeight(11, 4, 30, 10))
        .hasMessageContaining("max completion length 10")
        .hasMessageContaining("11 policy tokens");
  }

  private NDArray pick(double[] v, List<Integer> at) {
    return pick(i -> v[i], at);
  }

  private NDArray pick(java.util.function.IntToDoubleFunction f, List<Integer> at) {
    double[] out = new double[at.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = f.applyAsDouble(at.get(i));
    }
    return m.create(out);
  }
}
