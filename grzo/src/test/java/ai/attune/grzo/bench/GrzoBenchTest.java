package ai.attune.grzo.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The benchmark runs end to end on a tiny shape and reports every phase (no timing asserts). */
@Tag("engine")
class GrzoBenchTest {
  @Test
  void tinyBenchReportsEveryPhase() {
    GrzoBench.Report report =
        GrzoBench.run(
            new BenchConfig(
                "opt", 32, 2, 4, 128, 4, 8, 1, 2, DevicePolicy.CPU, ComputeDtype.FLOAT32, 1));
    assertThat(report.rows())
        .extracting(GrzoBench.Row::phase)
        .containsExactly("forward", "mezo step", "grzo step", "grzo fused step");
    assertThat(report.rows())
        .allSatisfy(
            r -> {
              assertThat(r.medianMs()).isPositive();
              assertThat(r.peakBytes()).isPositive();
              assertThat(r.counts().arrays()).isPositive();
              assertThat(r.counts().bytes()).isPositive();
            });
    assertThat(report.table()).contains("grzo fused step").contains("GiB").contains("arrays");
  }

  @Test
  void onePhaseRunsAlone() {
    GrzoBench.Report report =
        GrzoBench.run(
            new BenchConfig(
                "opt",
                32,
                2,
                4,
                128,
                4,
                8,
                1,
                2,
                DevicePolicy.CPU,
                ComputeDtype.FLOAT32,
                1,
                List.of("grzo")));
    assertThat(report.rows()).extracting(GrzoBench.Row::phase).containsExactly("grzo step");
    assertThatThrownBy(
            () ->
                new BenchConfig(
                    "opt",
                    32,
                    2,
                    4,
                    128,
                    4,
                    8,
                    1,
                    2,
                    DevicePolicy.CPU,
                    ComputeDtype.FLOAT32,
                    1,
                    List.of("backward")))
        .hasMessageContaining("unknown --phases entry backward");
  }

  @Test
  void badShapesAreRefusedNamingTheOption() {
    assertThatThrownBy(
            () ->
                new BenchConfig(
                    "gpt", 32, 2, 4, 128, 4, 8, 1, 2, DevicePolicy.CPU, ComputeDtype.FLOAT32, 1))
        .hasMessageContaining("--arch");
    assertThatThrownBy(
            () ->
                new BenchConfig(
                    "opt", 30, 2, 4, 128, 4, 8, 1, 2, DevicePolicy.CPU, ComputeDtype.FLOAT32, 1))
        .hasMessageContaining("--heads");
  }
}
