package ai.attune.core.device;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** libtorch's profiler, through DJL, around real ops: the trace is written and read back. */
@Tag("engine")
class OpProfileEngineTest {
  @TempDir Path tmp;

  @Test
  void theOpsRunAreInTheTableWithTheirCalls() {
    Engines.pytorch();
    Path trace = tmp.resolve("profile/ops.trace.json");
    try (NDManager m = Engines.newManager(DevicePolicy.CPU)) {
      NDArray a = m.randomNormal(new Shape(64, 64));
      OpProfile p =
          OpProfile.record(
              trace,
              false,
              () -> {
                for (int i = 0; i < 3; i++) {
                  a.matMul(a).close();
                }
                a.add(a).close();
              });
      assertThat(trace).isRegularFile();
      assertThat(p.ops()).extracting(OpProfile.Op::name).contains("aten::mm", "aten::add");
      assertThat(p.ops().stream().filter(o -> o.name().equals("aten::mm")).findFirst())
          .hasValueSatisfying(
              mm -> {
                assertThat(mm.calls()).isEqualTo(3);
                assertThat(mm.selfMs()).isPositive();
              });
      assertThat(p.totalSelfMs()).isPositive();
    }
  }
}
