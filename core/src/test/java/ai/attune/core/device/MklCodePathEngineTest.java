package ai.attune.core.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The code path reaches MKL before its first product: in a fresh JVM on an AMD processor with AVX2
 * MKL's vendor check answers "Intel" and {@value MklCodePath#VARIABLE} is unset when the first
 * product runs; with {@code -Dattune.mkl_amd_avx2=avx2} the check answers "not Intel" and {@value
 * MklCodePath#VARIABLE}={@value MklCodePath#BRANCH} is set; with {@code =false}, and on any other
 * processor, MKL decides alone. A fresh JVM, because MKL checks once, at its first product, which
 * in this test JVM may have come before.
 */
@Tag("engine")
class MklCodePathEngineTest {
  @Test
  void aFreshEngineRunsMklOnItsFastPathsOnAmdOnly() throws Exception {
    List<String> cpuInfo = Files.readAllLines(MklCodePath.CPU_INFO);
    boolean amdWithAvx2 = MklCodePath.decide(null, null, Optional.of(cpuInfo)).set();
    int intel = MklCodePath.field(cpuInfo, "vendor_id").orElse("").equals("GenuineIntel") ? 1 : 0;

    List<String> chosen = ProbeJvm.run(MklCodePathProbe.class);
    assertThat(chosen)
        .contains(
            "decision " + amdWithAvx2 + " sum 131072.0",
            "variable null",
            "vendor check OptionalInt[" + (amdWithAvx2 ? 1 : intel) + "]");

    List<String> avx2 = ProbeJvm.run(MklCodePathProbe.class, "-D" + MklCodePath.PROPERTY + "=avx2");
    assertThat(avx2)
        .contains(
            "decision " + amdWithAvx2 + " sum 131072.0",
            "variable " + (amdWithAvx2 ? MklCodePath.BRANCH : "null"),
            "vendor check OptionalInt[" + intel + "]");

    List<String> off = ProbeJvm.run(MklCodePathProbe.class, "-D" + MklCodePath.PROPERTY + "=false");
    assertThat(off)
        .contains(
            "decision false sum 131072.0",
            "variable null",
            "vendor check OptionalInt[" + intel + "]");
  }
}
