package ai.attune.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Self times read from a hand-written Chrome trace in libtorch's format. */
@Tag("pure")
class OpProfileTest {
  @TempDir Path tmp;

  @Test
  void selfTimeIsTheDurationLessTheNestedOps() throws IOException {
    // thread 1: linear [0, 100) calls mm [10, 80) which calls empty [10, 15); then add [100, 130)
    // starts where linear ends (not nested); thread 2: mm [50, 90) overlaps thread 1 but is its own
    Path trace = tmp.resolve("trace.json");
    Files.writeString(
        trace,
        """
        [
        {"name": "aten::linear", "ph": "X", "ts": 0.0, "dur": 100.0, "tid": 1},
        {"name": "aten::mm", "ph": "X", "ts": 10.0, "dur": 70.0, "tid": 1},
        {"name": "aten::empty", "ph": "X", "ts": 10.0, "dur": 5.0, "tid": 1},
        {"name": "aten::add", "ph": "X", "ts": 100.0, "dur": 30.0, "tid": 1},
        {"name": "aten::mm", "ph": "X", "ts": 50.0, "dur": 40.0, "tid": 2},
        {"name": "process_name", "ph": "M", "ts": 0.0, "tid": 1}
        ]
        """);
    OpProfile p = OpProfile.read(trace);
    assertThat(p.ops())
        .extracting(OpProfile.Op::name)
        .containsExactly("aten::mm", "aten::add", "aten::linear", "aten::empty");
    OpProfile.Op mm = p.ops().get(0);
    assertThat(mm.calls()).isEqualTo(2);
    assertThat(mm.selfMs()).isCloseTo((65 + 40) / 1000.0, within(1e-12));
    assertThat(p.ops().get(1).selfMs()).isCloseTo(0.030, within(1e-12));
    assertThat(p.ops().get(2).selfMs()).isCloseTo(0.030, within(1e-12));
    assertThat(p.ops().get(3).selfMs()).isCloseTo(0.005, within(1e-12));
    assertThat(p.totalSelfMs()).isCloseTo(0.170, within(1e-12));
    assertThat(p.table(2))
        .contains("aten::mm")
        .contains("aten::add")
        .doesNotContain("aten::linear")
        .contains("all 4 ops");
  }

  @Test
  void aFileThatIsNotATraceIsRefusedNamingIt() throws IOException {
    Path bad = tmp.resolve("bad.json");
    Files.writeString(bad, "{\"name\": 1}");
    assertThatThrownBy(() -> OpProfile.read(bad))
        .hasMessageContaining(bad.toString())
        .hasMessageContaining("not a Chrome trace");
  }
}
