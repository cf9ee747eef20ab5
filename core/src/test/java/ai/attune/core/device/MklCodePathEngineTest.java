package ai.attune.core.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The code path reaches MKL's environment before the engine starts: in a fresh JVM on an AMD
 * processor with AVX2 {@value MklCodePath#VARIABLE}={@value MklCodePath#BRANCH} is in the C
 * environment when the first product runs, on any other processor and with {@code
 * -Dattune.mkl_amd_avx2=false} it is not. A fresh JVM, because MKL reads the variable when it
 * starts, which in this test JVM may have come before.
 */
@Tag("engine")
class MklCodePathEngineTest {
  @Test
  void aFreshEngineRunsMklOnItsAvx2PathOnAmdOnly() throws Exception {
    boolean amdWithAvx2 =
        MklCodePath.decide(null, null, Optional.of(Files.readAllLines(MklCodePath.CPU_INFO))).set();
    List<String> chosen = ProbeJvm.run(MklCodePathProbe.class);
    assertThat(chosen)
        .contains(
            "decision " + amdWithAvx2 + " sum 131072.0",
            "variable " + (amdWithAvx2 ? MklCodePath.BRANCH : "null"));

    List<String> off = ProbeJvm.run(MklCodePathProbe.class, "-D" + MklCodePath.PROPERTY + "=false");
    assertThat(off).contains("decision false sum 131072.0", "variable null");
  }
}
