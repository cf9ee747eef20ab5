package ai.attune.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.config.Mappers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("pure")
class RunRecordTest {
  @TempDir Path dir;

  private static ObjectNode config() {
    ObjectNode c = Mappers.json().createObjectNode().put("lr", 1e-4).put("steps", 200);
    c.putObject("model").put("name", "gemma-3-270m");
    return c;
  }

  @Test
  void captureFillsTheEnvironmentWithoutStartingTheEngine() {
    RunRecord r = RunRecord.capture("train --config x.yaml", config(), 42L, "cpu()");
    assertThat(r.javaVersion()).isEqualTo(System.getProperty("java.version"));
    assertThat(r.javaVendor()).isEqualTo(System.getProperty("java.vendor"));
    assertThat(r.os())
        .contains(System.getProperty("os.name"))
        .contains(System.getProperty("os.arch"));
    assertThat(r.djlVersion()).startsWith("0.36");
    assertThat(r.engine()).isEqualTo(RunRecord.ENGINE_NOT_STARTED);
    assertThat(r.attuneVersion()).isNotBlank();
    assertThat(r.hostCores()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(OffsetDateTime.parse(r.startedAt())).isBefore(OffsetDateTime.now().plusSeconds(1));
    assertThat(r.extra()).isEmpty();
  }

  @Test
  void writeAndReadRoundTrip() throws IOException {
    RunRecord r =
        RunRecord.capture("train", config(), -7L, "gpu(0)", "PyTorch 2.7.1")
            .withExtra("dataset", "gsm8k")
            .withExtra("examples", 7473);
    Path file = dir.resolve("out/run.json");
    r.write(file);
    RunRecord back = RunRecord.read(file);
    assertThat(back).isEqualTo(r);
    assertThat(back.config().at("/model/name").asText()).isEqualTo("gemma-3-270m");
    assertThat(back.extra().keySet()).containsExactly("dataset", "examples");

    JsonNode json = Mappers.json().readTree(file.toFile());
    assertThat(json.get("javaVersion").asText()).isEqualTo(System.getProperty("java.version"));
    assertThat(json.get("os").asText()).contains(System.getProperty("os.name"));
    assertThat(json.get("seed").asLong()).isEqualTo(-7L);
    assertThat(Files.readString(file)).contains("\n  \"command\" : \"train\"");
  }

  @Test
  void readIgnoresFieldsFromLaterVersions() throws IOException {
    Path file = dir.resolve("run.json");
    RunRecord r = RunRecord.capture("eval", config(), 1L, "cpu()");
    ObjectNode json = Mappers.json().valueToTree(r);
    json.put("addedLater", true);
    Files.writeString(file, json.toString());
    assertThat(RunRecord.read(file)).isEqualTo(r);
  }

  @Test
  void recordIsImmutable() {
    ObjectNode c = config();
    RunRecord r = RunRecord.capture("train", c, 1L, "cpu()");
    c.put("lr", 1.0);
    r.config().put("lr", 2.0);
    assertThat(r.config().get("lr").asDouble()).isEqualTo(1e-4);
    assertThatThrownBy(() -> r.extra().put("k", "v"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void constructionValidates() {
    RunRecord r = RunRecord.capture("train", config(), 1L, "cpu()");
    assertThat(rebuilt(r, "train", r.startedAt(), 4)).isNotNull();
    assertThatThrownBy(() -> rebuilt(r, "train", "yesterday", 4)).hasMessageContaining("yesterday");
    assertThatThrownBy(() -> rebuilt(r, "train", r.startedAt(), 0))
        .hasMessageContaining("hostCores");
    assertThatThrownBy(() -> rebuilt(r, null, r.startedAt(), 1)).hasMessageContaining("command");
  }

  private static RunRecord rebuilt(RunRecord r, String command, String startedAt, int cores) {
    return new RunRecord(
        command,
        r.config(),
        r.seed(),
        startedAt,
        r.attuneVersion(),
        r.djlVersion(),
        r.engine(),
        r.javaVersion(),
        r.javaVendor(),
        r.os(),
        r.device(),
        cores,
        null);
  }
}
