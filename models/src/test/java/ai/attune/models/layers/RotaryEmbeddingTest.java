package ai.attune.models.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Inverse frequencies of each rope type against hand-computed values, and the rotation. */
@Tag("engine")
class RotaryEmbeddingTest {

  private static void assertRelativelyClose(float[] got, double[] expected) {
    assertThat(got).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) got[i])
          .as("inv_freq[%d]", i)
          .isCloseTo(expected[i], within(Math.abs(expected[i]) * 1e-6));
    }
  }

  @Test
  void defaultFrequenciesArePowersOfTheBase() {
    // theta^(-2i/dim) for theta 10000, dim 8: 1, 10^-1, 10^-2, 10^-3
    float[] f = RotaryEmbedding.inverseFrequencies(RopeParameters.standard(10_000, 8));
    assertRelativelyClose(f, new double[] {1, 0.1, 0.01, 0.001});
  }

  @Test
  void linearScalingDividesEveryFrequency() {
    float[] f = RotaryEmbedding.inverseFrequencies(RopeParameters.linear(10_000, 8, 4));
    assertRelativelyClose(f, new double[] {0.25, 0.025, 0.0025, 0.00025});
  }

  @Test
  void llama3ScalingKeepsHighInterpolatesMiddleAndDividesLowFrequencies() {
    // theta 1e4, dim 16, factor 8, low 1, high 4, original 64: wavelengths 2pi/inv below 16 are
    // kept, above 64 divided by 8, between blended with s = (64 / wavelength - 1) / 3:
    // i=0: inv 1, wavelength 6.283 -> 1
    // i=1: inv 10^-0.5 = 0.316228, wavelength 19.869, s = 0.740357
    //      -> 0.316228 * ((1 - s) / 8 + s) = 0.244385
    // i=2: inv 0.1, wavelength 62.832, s = 0.006197 -> 0.1 * ((1 - s) / 8 + s) = 0.0130423
    // i>=3: wavelength > 64 -> 10^(-i/2) / 8
    float[] f = RotaryEmbedding.inverseFrequencies(RopeParameters.llama3(1e4, 16, 8, 1, 4, 64));
    assertRelativelyClose(
        f,
        new double[] {
          1.0,
          0.24438460,
          0.013042256,
          0.0039528471,
          0.00125,
          0.00039528471,
          0.000125,
          0.000039528471
        });
  }

  @Test
  void llama3ScalingOfTheLlamaFixtureConfig() {
    // llama3-tiny: theta 5e5, head_dim 16, factor 8, low 1, high 4, original 16.
    // i=0: inv 1, wavelength 6.283 in [4, 16], s = (16 / 6.283 - 1) / 3 = 0.515493
    //      -> (1 - s) / 8 + s = 0.576056
    // i>=1: wavelength >= 32.4 > 16 -> 5e5^(-i/8) / 8
    float[] f = RotaryEmbedding.inverseFrequencies(RopeParameters.llama3(500_000, 16, 8, 1, 4, 16));
    assertRelativelyClose(
        f,
        new double[] {
          0.5760564,
          0.024240343,
          0.0047007539,
          0.00091158309,
          0.00017677670,
          3.4281022e-05,
          6.6478699e-06,
          1.2891732e-06
        });
  }

  @Test
  void invalidParametersAreRefused() {
    assertThatThrownBy(() -> RopeParameters.standard(10_000, 7)).hasMessageContaining("even");
    assertThatThrownBy(() -> RopeParameters.llama3(1e4, 16, 8, 4, 1, 64))
        .hasMessageContaining("high_freq_factor");
  }

  @Test
  void rotationKeepsNormsAndScoresDependOnlyOnThePositionDifference() {
    RotaryEmbedding rope = new RotaryEmbedding(RopeParameters.llama3(500_000, 16, 8, 1, 4, 16));
    try (NDManager m = Engines.newManager(DevicePolicy.CPU)) {
      m.getEngine().setRandomSeed(7);
      NDArray q = m.randomNormal(new ai.djl.ndarray.types.Shape(1, 1, 1, 16));
      NDArray k = m.randomNormal(new ai.djl.ndarray.types.Shape(1, 1, 1, 16));
      float near = score(rope, q, k, 5, 2, m);
      float far = score(rope, q, k, 105, 102, m);
      assertThat(far).isCloseTo(near, within(1e-4f));
      assertThat(score(rope, q, k, 5, 4, m)).isNotCloseTo(near, within(1e-2f));
      NDArray[] cs = rope.cosSin(m, 9, 1);
      float norm = RotaryEmbedding.apply(q, cs[0], cs[1]).norm().getFloat();
      assertThat(norm).isCloseTo(q.norm().getFloat(), within(1e-4f));
    }
  }

  private static float score(
      RotaryEmbedding rope, NDArray q, NDArray k, int qPos, int kPos, NDManager m) {
    NDArray[] qcs = rope.cosSin(m, qPos, 1);
    NDArray[] kcs = rope.cosSin(m, kPos, 1);
    NDArray rq = RotaryEmbedding.apply(q, qcs[0], qcs[1]);
    NDArray rk = RotaryEmbedding.apply(k, kcs[0], kcs[1]);
    return rq.mul(rk).sum().getFloat();
  }
}
