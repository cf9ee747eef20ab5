package ai.attune.core.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The RNG contract of {@link SeededNoise}: derivation in Java, draws through the engine. */
@Tag("engine")
class SeededNoiseTest {
  private static final Shape SHAPE = new Shape(100, 100);
  private NDManager root;

  @BeforeEach
  void open() {
    root = Engines.newManager(DevicePolicy.CPU);
  }

  @AfterEach
  void close() {
    root.close();
  }

  @Test
  void splitMix64IsTheFirstOutputOfSplittableRandom() {
    for (long x : new long[] {0L, 1L, -1L, 42L, Long.MIN_VALUE, 0x123456789ABCDEFL}) {
      assertThat(SeededNoise.splitMix64(x)).isEqualTo(new SplittableRandom(x).nextLong());
    }
  }

  @Test
  void deriveIsStableAndSensitiveToEveryPathElementAndItsOrder() {
    // pinned values: the contract must not change silently (checkpointed runs replay with it)
    assertThat(SeededNoise.derive(42L)).isEqualTo(SeededNoise.splitMix64(42L));
    long expected =
        SeededNoise.splitMix64(SeededNoise.splitMix64(SeededNoise.splitMix64(42L) ^ 3L) ^ 1L);
    assertThat(SeededNoise.derive(42L, 3L, 1L)).isEqualTo(expected);
    assertThat(SeededNoise.derive(42L, 3L, 1L)).isNotEqualTo(SeededNoise.derive(42L, 1L, 3L));
    // step 0 / layer 1 must not collide with step 1 / layer 0 (sequential step seeds)
    assertThat(SeededNoise.derive(0L, 1L)).isNotEqualTo(SeededNoise.derive(1L, 0L));
    Set<Integer> engineSeeds = new HashSet<>();
    for (long step = 0; step < 100; step++) {
      for (long layer = 0; layer < 100; layer++) {
        engineSeeds.add(SeededNoise.engineSeed(SeededNoise.derive(step, layer, 1L)));
      }
    }
    assertThat(engineSeeds).hasSize(10_000);
  }

  @Test
  void sameSeedGivesIdenticalArraysAcrossManagersAndInterleavedDraws() {
    float[] first;
    try (NDManager a = root.newSubManager()) {
      first = SeededNoise.gaussian(a, 7L, SHAPE, DataType.FLOAT32).toFloatArray();
    }
    try (NDManager b = root.newSubManager()) {
      SeededNoise.gaussian(b, 8L, SHAPE, DataType.FLOAT32);
      b.randomNormal(SHAPE); // unrelated draw in between
      float[] again = SeededNoise.gaussian(b, 7L, SHAPE, DataType.FLOAT32).toFloatArray();
      assertThat(again).containsExactly(first);
      float[] other = SeededNoise.gaussian(b, 8L, SHAPE, DataType.FLOAT32).toFloatArray();
      int equal = 0;
      for (int i = 0; i < first.length; i++) {
        equal += first[i] == other[i] ? 1 : 0;
      }
      assertThat(equal).isZero();
    }
  }

  @Test
  void gaussianHasUnitMomentsAndCastsAfterDrawingInFloat32() {
    try (NDManager m = root.newSubManager()) {
      NDArray z = SeededNoise.gaussian(m, 11L, SHAPE, DataType.FLOAT32);
      double mean = z.mean().getFloat();
      double var = z.sub(mean).square().mean().getFloat();
      assertThat(mean).isBetween(-0.05, 0.05);
      assertThat(var).isBetween(0.95, 1.05);
      NDArray z64 = SeededNoise.gaussian(m, 11L, SHAPE, DataType.FLOAT64);
      assertThat(z64.getDataType()).isEqualTo(DataType.FLOAT64);
      assertThat(z64.toType(DataType.FLOAT32, false).toFloatArray())
          .containsExactly(z.toFloatArray());
      NDArray z16 = SeededNoise.gaussian(m, 11L, SHAPE, DataType.FLOAT16);
      assertThat(z16.getDataType()).isEqualTo(DataType.FLOAT16);
    }
  }

  @Test
  void rademacherIsPlusOrMinusOneWithMeanNearZero() {
    try (NDManager m = root.newSubManager()) {
      float[] s = SeededNoise.rademacher(m, 5L, SHAPE, DataType.FLOAT32).toFloatArray();
      assertThat(s).hasSize(10_000);
      double sum = 0;
      for (float v : s) {
        assertThat(v == 1f || v == -1f).as("value %s is ±1", v).isTrue();
        sum += v;
      }
      // the mean of 10k fair signs has standard deviation 0.01
      assertThat(sum / s.length).isBetween(-0.04, 0.04);
      assertThat(SeededNoise.rademacher(m, 5L, SHAPE, DataType.FLOAT32).toFloatArray())
          .containsExactly(s);
      float[] t = SeededNoise.rademacher(m, 6L, SHAPE, DataType.FLOAT32).toFloatArray();
      int agree = 0;
      for (int i = 0; i < s.length; i++) {
        agree += s[i] == t[i] ? 1 : 0;
      }
      assertThat(agree).isBetween(4_600, 5_400);
    }
  }

  @Test
  void rademacherSignsAreTheSignsOfTheSameSeedsUniformDrawAboutOneHalf() {
    try (NDManager m = root.newSubManager()) {
      float[] u = SeededNoise.uniform(m, 7L, SHAPE, DataType.FLOAT32, 0f, 1f).toFloatArray();
      float[] expected = new float[u.length];
      for (int i = 0; i < u.length; i++) {
        expected[i] = u[i] >= 0.5f ? 1f : -1f;
      }
      assertThat(SeededNoise.rademacher(m, 7L, SHAPE, DataType.FLOAT32).toFloatArray())
          .containsExactly(expected);
      for (DataType type : new DataType[] {DataType.FLOAT16, DataType.FLOAT64}) {
        NDArray s = SeededNoise.rademacher(m, 7L, SHAPE, type);
        assertThat(s.getDataType()).isEqualTo(type);
        assertThat(s.toType(DataType.FLOAT32, false).toFloatArray()).containsExactly(expected);
      }
    }
  }

  @Test
  void uniformStaysInItsInterval() {
    try (NDManager m = root.newSubManager()) {
      NDArray u = SeededNoise.uniform(m, 3L, SHAPE, DataType.FLOAT32, -0.5f, 0.25f);
      assertThat(u.min().getFloat()).isGreaterThanOrEqualTo(-0.5f);
      assertThat(u.max().getFloat()).isLessThan(0.25f);
      assertThat(u.mean().getFloat()).isBetween(-0.14f, -0.11f);
    }
  }

  @Test
  void drawsLeaveOnlyTheirResultInTheManager() {
    try (NDManager m = root.newSubManager()) {
      SeededNoise.rademacher(m, 1L, SHAPE, DataType.FLOAT16);
      SeededNoise.gaussian(m, 1L, SHAPE, DataType.FLOAT32);
      SeededNoise.uniform(m, 1L, SHAPE, DataType.FLOAT32, 0f, 1f);
      assertThat(m.getManagedArrays()).hasSize(3);
    }
  }

  @Test
  void refusesBfloat16AndIntegerTypes() {
    try (NDManager m = root.newSubManager()) {
      assertThatThrownBy(() -> SeededNoise.gaussian(m, 1L, SHAPE, DataType.BFLOAT16))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("bfloat16");
      assertThatThrownBy(() -> SeededNoise.rademacher(m, 1L, SHAPE, DataType.INT32))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("int32");
    }
  }
}
