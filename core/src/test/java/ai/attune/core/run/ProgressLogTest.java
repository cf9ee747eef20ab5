package ai.attune.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class ProgressLogTest {
  private static final long SECOND = 1_000_000_000L;

  private long now = 5 * SECOND;
  private final List<String> lines = new ArrayList<>();

  private ProgressLog log(long total, Duration every, long everyItems) {
    return new ProgressLog("step", total, every, everyItems, () -> now, lines::add);
  }

  @Test
  void logsRateEtaAndFieldsOncePerPeriod() {
    ProgressLog p = log(2000, Duration.ofSeconds(10), 0);
    now += 9 * SECOND;
    p.update(30, Map.of("loss", 0.7));
    assertThat(lines).isEmpty();
    now += 31 * SECOND;
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("loss", 0.69314718);
    fields.put("lr", 1e-5);
    fields.put("tokens", 51200);
    p.update(120, fields);
    assertThat(lines)
        .containsExactly(
            "step 120/2000 (6.0%) 3.0 it/s, ETA 10m27s, loss=0.6931, lr=1.000e-05, tokens=51200");
    now += 5 * SECOND;
    p.update(135, Map.of());
    assertThat(lines).hasSize(1);
  }

  @Test
  void aResumedLogCountsAbsoluteItemsButRatesOnlyTheNewOnes() {
    ProgressLog p = log(1500, Duration.ZERO, 50).resumedAt(1200);
    now += 25 * SECOND;
    p.update(1249);
    assertThat(lines).isEmpty();
    now += SECOND;
    p.update(1250);
    assertThat(lines).containsExactly("step 1250/1500 (83.3%) 1.9 it/s, ETA 2m10s");
    assertThatThrownBy(() -> log(10, Duration.ZERO, 1).resumedAt(11))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void finishLogsTotalTimeOnce() {
    ProgressLog p = log(100, Duration.ofMinutes(1), 0);
    now += 3726 * SECOND;
    p.update(100, Map.of("reward", Double.NaN));
    assertThat(lines).hasSize(1);
    p.finish();
    p.finish();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1))
        .isEqualTo("step 100/100 (100.0%) 37.3 s/it, done in 1h02m06s, reward=NaN");
  }

  @Test
  void itemPeriodLogsOnEachMultiple() {
    ProgressLog p = log(0, Duration.ZERO, 50);
    for (int i = 1; i <= 120; i++) {
      now += SECOND / 10;
      p.update(i);
    }
    assertThat(lines).containsExactly("step 50 10.0 it/s", "step 100 10.0 it/s");
  }

  @Test
  void unknownRateShowsQuestionMarks() {
    ProgressLog p = log(10, Duration.ZERO, 1);
    p.finish();
    assertThat(lines).containsExactly("step 0/10 (0.0%) ? it/s, done in 0s");
  }

  @Test
  void formatsDurationsAndRates() {
    assertThat(ProgressLog.formatDuration(0.4)).isEqualTo("0s");
    assertThat(ProgressLog.formatDuration(59.6)).isEqualTo("1m00s");
    assertThat(ProgressLog.formatDuration(605)).isEqualTo("10m05s");
    assertThat(ProgressLog.formatDuration(90061)).isEqualTo("25h01m01s");
    assertThat(ProgressLog.formatDuration(Double.POSITIVE_INFINITY)).isEqualTo("?");
    assertThat(ProgressLog.formatRate(3.14)).isEqualTo("3.1 it/s");
    assertThat(ProgressLog.formatRate(0.08)).isEqualTo("12.5 s/it");
    assertThat(ProgressLog.formatRate(0)).isEqualTo("? it/s");
  }

  @Test
  void constructorRejectsBadPeriods() {
    assertThatThrownBy(() -> log(10, Duration.ZERO, 0)).hasMessageContaining("period");
    assertThatThrownBy(() -> log(-1, Duration.ofSeconds(1), 0)).hasMessageContaining("-1");
    assertThat(new ProgressLog("epoch", 3, Duration.ofSeconds(30))).isNotNull();
  }
}
