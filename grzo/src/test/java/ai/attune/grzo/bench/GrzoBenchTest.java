package ai.attune.grzo.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.device.ArrayCounter;
import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.core.device.NativeAllocator;
import ai.attune.core.device.OpProfile;
import ai.attune.core.device.QuickJit;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark runs end to end on a tiny shape and reports every phase (no timing asserts). */
@Tag("engine")
class GrzoBenchTest {
  /** A tiny shape (2 layers, batch 4 of 8 tokens, 1 warm-up and 2 timed steps) on the CPU. */
  private static BenchConfig tiny(String arch, int hidden, List<String> phases) {
    return tiny(arch, hidden, phases, null);
  }

  private static BenchConfig tiny(String arch, int hidden, List<String> phases, Path profile) {
    return new BenchConfig(
        arch,
        hidden,
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
        phases,
        profile);
  }

  @Test
  void tinyBenchReportsEveryPhase() {
    GrzoBench.Report report = GrzoBench.run(tiny("opt", 32, BenchConfig.PHASES));
    assertThat(report.rows())
        .extracting(GrzoBench.Row::phase)
        .containsExactly(
            "forward",
            "mezo step",
            "grzo step",
            "grzo fused step",
            "grzo cached step",
            "grzo fused cached step");
    assertThat(report.rows())
        .allSatisfy(
            r -> {
              assertThat(r.medianMs()).isPositive();
              assertThat(r.peakBytes()).isPositive();
              assertThat(r.counts().arrays()).isPositive();
              assertThat(r.counts().bytes()).isPositive();
              assertThat(r.jitMs()).isNotNegative(); // HotSpot reports JIT compile time
            });
    assertThat(report.table())
        .contains("grzo fused step")
        .contains("JIT ms")
        .contains("GiB")
        .contains("arrays")
        .contains("allocator=" + NativeAllocator.inProcess().name())
        .contains("huge_pages=" + (Engines.hugePages().enabled() ? "on" : "off"))
        .contains("malloc_trim=" + (Engines.mallocTrim().enabled() ? "on" : "off"))
        .contains("jit=" + (QuickJit.current().quick() ? "quick" : "full"));
  }

  @Test
  void aMaskedLmBenchRunsTheGrzoAndMezoPhases() {
    GrzoBench.Report report =
        GrzoBench.run(tiny("roberta", 32, List.of("forward", "mezo", "grzo", "fused")));
    assertThat(report.rows())
        .extracting(GrzoBench.Row::phase)
        .containsExactly("forward", "mezo step", "grzo step", "grzo fused step");
    assertThat(report.rows()).allSatisfy(r -> assertThat(r.counts().arrays()).isPositive());
    assertThat(report.table()).startsWith("grzo bench: roberta hidden=32");
    assertThatThrownBy(
            () ->
                new BenchConfig(
                    "roberta",
                    32,
                    2,
                    4,
                    128,
                    4,
                    2,
                    1,
                    2,
                    DevicePolicy.CPU,
                    ComputeDtype.FLOAT32,
                    1,
                    BenchConfig.PHASES,
                    null))
        .hasMessageContaining("--seq >= 3");
  }

  @Test
  void aPhaseWhoseTimedStepsTheJitCompiledThroughIsFlaggedCold() {
    ArrayCounter.Counts counts = new ArrayCounter.Counts(10, 1 << 20);
    GrzoBench.Row cold = new GrzoBench.Row("grzo step", 80, 60, 800, 1L << 28, 254, counts, null);
    GrzoBench.Row warm = new GrzoBench.Row("forward", 6, 5, 60, 1L << 28, 6, counts, null);
    GrzoBench.Row unknown = new GrzoBench.Row("mezo step", 70, 60, 700, 1L << 28, -1, counts, null);
    assertThat(cold.cold()).isTrue(); // 254 ms of JIT in 800 ms of steps
    assertThat(warm.cold()).isFalse(); // 6 in 60: at the 10% line, not above it
    assertThat(unknown.cold()).isFalse();
    GrzoBench.Report report =
        new GrzoBench.Report(
            tiny("opt", 32, BenchConfig.PHASES),
            "cpu()",
            "glibc malloc",
            true,
            true,
            true,
            "native RSS (VmHWM)",
            1_000_000,
            List.of(warm, unknown, cold));
    assertThat(report.table())
        .contains("malloc_trim=on jit=quick, median of")
        .contains(
            "note: the JIT compiled for 254 ms while grzo step's timed steps ran (32% of their 800"
                + " ms), so they are partly cold; a larger --warmup times warm steps")
        .doesNotContain("while forward's")
        .doesNotContain("while mezo step's");
  }

  @Test
  void onePhaseRunsAlone() {
    GrzoBench.Report report = GrzoBench.run(tiny("opt", 32, List.of("grzo")));
    assertThat(report.rows()).extracting(GrzoBench.Row::phase).containsExactly("grzo step");
    assertThatThrownBy(() -> tiny("opt", 32, List.of("backward")))
        .hasMessageContaining("unknown --phases entry backward");
  }

  @Test
  void aProfiledRunWritesEachPhasesTraceAndPrintsItsOps(@TempDir Path tmp) {
    BenchConfig c = tiny("opt", 32, List.of("forward", "grzo"), tmp.resolve("profile"));
    GrzoBench.Report report = GrzoBench.run(c);
    assertThat(tmp.resolve("profile/forward.trace.json")).isRegularFile();
    assertThat(tmp.resolve("profile/grzo-step.trace.json")).isRegularFile();
    GrzoBench.Row grzo = report.rows().get(1);
    // GRZO draws each perturbed linear layer's U in the + pass, the − pass and the update
    List<String> ops = grzo.profile().ops().stream().map(OpProfile.Op::name).toList();
    assertThat(ops).contains("aten::mm", "aten::normal_");
    assertThat(report.rows().get(0).profile().ops())
        .extracting(OpProfile.Op::name)
        .doesNotContain("aten::normal_");
    assertThat(report.table())
        .contains("grzo step: ops of one more step by self time")
        .contains("aten::normal_");
  }

  @Test
  void badShapesAreRefusedNamingTheOption() {
    assertThatThrownBy(() -> tiny("gpt", 32, BenchConfig.PHASES)).hasMessageContaining("--arch");
    assertThatThrownBy(() -> tiny("opt", 30, BenchConfig.PHASES)).hasMessageContaining("--heads");
  }
}
