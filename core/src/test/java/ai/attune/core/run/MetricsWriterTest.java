package ai.attune.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("pure")
class MetricsWriterTest {
  private static final Clock FIXED =
      Clock.fixed(Instant.ofEpochMilli(1_700_000_000_250L), ZoneOffset.UTC);

  @TempDir Path dir;

  @Test
  void roundTripKeepsStepTimeValuesAndKeyOrder() throws IOException {
    Path file = dir.resolve("logs/metrics.jsonl");
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("reward", 0.5);
    values.put("kl", 0.01);
    values.put("tag", "warmup");
    values.put("clipped", true);
    try (MetricsWriter w = MetricsWriter.open(file, false, FIXED)) {
      w.log(1, values);
      w.log(2, Map.of("reward", 0.75));
    }
    assertThat(Files.readAllLines(file).get(0))
        .isEqualTo(
            "{\"step\":1,\"time\":1.70000000025E9,\"reward\":0.5,\"kl\":0.01,"
                + "\"tag\":\"warmup\",\"clipped\":true}");
    List<ObjectNode> rows = MetricsWriter.readAll(file);
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).fieldNames())
        .toIterable()
        .containsExactly("step", "time", "reward", "kl", "tag", "clipped");
    assertThat(rows.get(0).get("time").asDouble()).isEqualTo(1_700_000_000.25);
    assertThat(rows.get(1).get("step").asLong()).isEqualTo(2);
    assertThat(MetricsWriter.number(rows.get(1), "reward")).isEqualTo(0.75);
  }

  @Test
  void wallClockTimeIsRecorded() throws IOException {
    Path file = dir.resolve("m.jsonl");
    double before = System.currentTimeMillis() / 1000.0;
    try (MetricsWriter w = MetricsWriter.open(file, false)) {
      w.log(0, Map.of());
    }
    double time = MetricsWriter.readAll(file).get(0).get("time").asDouble();
    assertThat(time).isBetween(before, System.currentTimeMillis() / 1000.0);
  }

  @Test
  void nonFiniteNumbersAreWrittenAsStrings() throws IOException {
    Path file = dir.resolve("m.jsonl");
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("loss", Double.NaN);
    values.put("grad_norm", Double.POSITIVE_INFINITY);
    values.put("low", Float.NEGATIVE_INFINITY);
    values.put("missing", null);
    try (MetricsWriter w = MetricsWriter.open(file, false, FIXED)) {
      w.log(3, values);
    }
    assertThat(Files.readString(file))
        .contains("\"loss\":\"NaN\",\"grad_norm\":\"Infinity\",\"low\":\"-Infinity\"")
        .contains("\"missing\":null");
    ObjectNode row = MetricsWriter.readAll(file).get(0);
    assertThat(MetricsWriter.number(row, "loss")).isNaN();
    assertThat(MetricsWriter.number(row, "grad_norm")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(MetricsWriter.number(row, "low")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(MetricsWriter.number(row, "missing")).isNaN();
    assertThat(MetricsWriter.number(row, "absent")).isNaN();
  }

  @Test
  void appendAfterCrashDropsThePartialLastLine() throws IOException {
    Path file = dir.resolve("m.jsonl");
    Files.writeString(file, "{\"step\":1,\"time\":1.0}\n{\"step\":2,\"ti");
    try (MetricsWriter w = MetricsWriter.open(file, true, FIXED)) {
      w.log(2, Map.of("loss", 1.5));
    }
    assertThat(Files.readAllLines(file))
        .containsExactly(
            "{\"step\":1,\"time\":1.0}", "{\"step\":2,\"time\":1.70000000025E9,\"loss\":1.5}");
  }

  @Test
  void appendToAFileWithOnlyAPartialLineStartsClean() throws IOException {
    Path file = dir.resolve("m.jsonl");
    Files.writeString(file, "{\"step\":1,");
    try (MetricsWriter w = MetricsWriter.open(file, true, FIXED)) {
      w.log(1, Map.of());
    }
    assertThat(MetricsWriter.readAll(file)).hasSize(1);
    assertThat(Files.readString(file)).startsWith("{\"step\":1,\"time\"").endsWith("}\n");
  }

  @Test
  void appendKeepsCompleteLinesAndOverwriteTruncates() throws IOException {
    Path file = dir.resolve("m.jsonl");
    try (MetricsWriter w = MetricsWriter.open(file, false, FIXED)) {
      w.log(1, Map.of());
    }
    try (MetricsWriter w = MetricsWriter.open(file, true, FIXED)) {
      w.log(2, Map.of());
    }
    assertThat(MetricsWriter.readAll(file)).hasSize(2);
    try (MetricsWriter w = MetricsWriter.open(file, false, FIXED)) {
      w.log(9, Map.of());
    }
    assertThat(MetricsWriter.readAll(file))
        .singleElement()
        .satisfies(row -> assertThat(row.get("step").asLong()).isEqualTo(9));
  }

  @Test
  void malformedLineNamesFileAndLineNumber() throws IOException {
    Path file = dir.resolve("m.jsonl");
    Files.writeString(file, "{\"step\":1}\n\n{\"step\":2,oops}\n{\"step\":3}\n");
    assertThatThrownBy(() -> MetricsWriter.readAll(file))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith(file + ":3: malformed JSON");
    Files.writeString(file, "{\"step\":1}\n[1,2]\n");
    assertThatThrownBy(() -> MetricsWriter.readAll(file))
        .hasMessageStartingWith(file + ":2: expected a JSON object");
  }

  @Test
  void readAllSkipsAnUnterminatedPartialLastLine() throws IOException {
    Path file = dir.resolve("m.jsonl");
    Files.writeString(file, "{\"step\":1}\n{\"step\":2}\n{\"step\":3,\"lo");
    assertThat(MetricsWriter.readAll(file)).hasSize(2);
    Files.writeString(file, "{\"step\":1}\n{\"step\":2}");
    assertThat(MetricsWriter.readAll(file)).hasSize(2);
  }

  @Test
  void reservedNamesAndClosedWriterAreRefused() throws IOException {
    MetricsWriter w = MetricsWriter.open(dir.resolve("m.jsonl"), false, FIXED);
    assertThatThrownBy(() -> w.log(1, Map.of("step", 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'step' is reserved");
    w.close();
    w.close();
    assertThatThrownBy(() -> w.log(1, Map.of())).isInstanceOf(IllegalStateException.class);
    assertThat(MetricsWriter.readAll(w.file())).isEmpty();
  }
}
