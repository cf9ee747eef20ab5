package ai.attune.core.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** When Attune puts MKL on a faster code path, and when it leaves MKL's own choice. */
@Tag("pure")
class MklCodePathTest {
  private static final Optional<List<String>> EPYC =
      cpu("AuthenticAMD", "fpu sse2 avx fma avx2 avx512f avx512bw");
  private static final Optional<List<String>> XEON =
      cpu("GenuineIntel", "fpu sse2 avx fma avx2 avx512f avx512bw");

  /** Two processors' worth of {@code /proc/cpuinfo}, as Linux prints it. */
  private static Optional<List<String>> cpu(String vendor, String flags) {
    return Optional.of(
        List.of(
            "processor\t: 0",
            "vendor_id\t: " + vendor,
            "model name\t: some processor",
            "flags\t\t: " + flags,
            "",
            "processor\t: 1",
            "vendor_id\t: " + vendor,
            "flags\t\t: " + flags));
  }

  @Test
  void setOnAnAmdProcessorWithAvx2AndFma() {
    MklCodePath.Decision d = MklCodePath.decide(null, null, EPYC);
    assertThat(d.set()).isTrue();
    assertThat(d.reason())
        .startsWith("MKL_CBWR=AVX2:")
        .contains("AMD processor", "-Dattune.mkl_amd_avx2=false");
    assertThat(MklCodePath.decide("true", null, EPYC).set()).isTrue();
    assertThat(MklCodePath.decide("avx2", null, EPYC).set()).isTrue();
    assertThat(MklCodePath.decide("AVX2", null, XEON).set()).isFalse();
  }

  @Test
  void mklsOwnChoiceOnOtherProcessors() {
    assertThat(MklCodePath.decide(null, null, XEON))
        .isEqualTo(
            new MklCodePath.Decision(false, "MKL's own choice on this GenuineIntel processor"));
    assertThat(MklCodePath.decide(null, null, cpu("AuthenticAMD", "fpu sse2 avx fma")))
        .isEqualTo(
            new MklCodePath.Decision(
                false, "MKL's own choice: this AMD processor lacks AVX2 or FMA"));
    assertThat(MklCodePath.decide(null, null, Optional.of(List.of("processor\t: 0"))).reason())
        .isEqualTo("MKL's own choice on this unknown processor");
    assertThat(MklCodePath.decide(null, null, Optional.empty()).reason())
        .isEqualTo("MKL's own choice: no /proc/cpuinfo (not Linux)");
  }

  @Test
  void theUsersVariableAndThePropertyWin() {
    assertThat(MklCodePath.decide(null, "COMPATIBLE", EPYC))
        .isEqualTo(new MklCodePath.Decision(false, "MKL_CBWR=COMPATIBLE was set by the user"));
    assertThat(MklCodePath.decide("false", null, EPYC))
        .isEqualTo(
            new MklCodePath.Decision(false, "MKL's own choice: -Dattune.mkl_amd_avx2=false"));
  }

  @Test
  void readsTheFirstValueOfAField() {
    List<String> lines = EPYC.orElseThrow();
    assertThat(MklCodePath.field(lines, "vendor_id")).contains("AuthenticAMD");
    assertThat(MklCodePath.field(lines, "flags"))
        .contains("fpu sse2 avx fma avx2 avx512f avx512bw");
    assertThat(MklCodePath.field(lines, "microcode")).isEmpty();
  }
}
