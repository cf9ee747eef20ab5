package ai.attune.grzo.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.config.Mappers;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed log's header: what a replay must match, and the reason it gives when it does not. */
@Tag("pure")
class SeedLogHeaderTest {
  @TempDir Path tmp;

  static final ModelFingerprint MODEL =
      new ModelFingerprint(Map.of("w", List.of(4L, 2L)), "ab12ab12ab12ab12");

  static SeedLogHeader header(
      String device, String version, String dtype, String sigma, ModelFingerprint model)
      throws IOException {
    JsonNode optimizer = Mappers.json().readTree("{\"name\":\"grzo\",\"sigma\":" + sigma + "}");
    return new SeedLogHeader(
        SeedLogHeader.FORMAT, device, "PyTorch", version, dtype, 42, optimizer, model);
  }

  @Test
  void anotherDeviceTypeIsRefusedWithTheReason() throws IOException {
    SeedLogHeader gpu = header("gpu", "2.7.1", "float16", "0.01", MODEL);
    assertThat(gpu.mismatch(header("cpu", "2.7.1", "float16", "0.01", MODEL)))
        .startsWith(
            "the run drew its noise on the gpu, the replay would run on the cpu: CPU"
                + " and CUDA generators give different noise for the same seed");
    assertThat(gpu.mismatch(header("gpu", "2.7.1", "float16", "0.01", MODEL))).isNull();
  }

  @Test
  void anotherLibtorchIsRefused() throws IOException {
    assertThat(
            header("cpu", "2.5.1", "float32", "0.01", MODEL)
                .mismatch(header("cpu", "2.7.1", "float32", "0.01", MODEL)))
        .startsWith("the run used PyTorch 2.5.1, this replay PyTorch 2.7.1");
  }

  @Test
  void dtypeOptimizerAndModelDifferencesAreNamed() throws IOException {
    SeedLogHeader logged = header("cpu", "2.7.1", "float32", "0.01", MODEL);
    assertThat(logged.mismatch(header("cpu", "2.7.1", "float16", "0.01", MODEL)))
        .startsWith("the run computed in float32, the replay would compute in float16");
    assertThat(logged.mismatch(header("cpu", "2.7.1", "float32", "0.02", MODEL)))
        .isEqualTo("the optimizer settings differ at optimizer.sigma (was 0.01, now 0.02)");
    assertThat(
            logged.mismatch(
                header(
                    "cpu",
                    "2.7.1",
                    "float32",
                    "0.01",
                    new ModelFingerprint(Map.of("w", List.of(4L, 3L)), "ab12ab12ab12ab12"))))
        .isEqualTo(
            "the base model differs from the run's: parameter w is [4, 2] in the log's"
                + " model, [4, 3] in this one");
  }

  @Test
  void theHeaderIsTheFirstLineAndReadsBack() throws IOException {
    Path log = tmp.resolve("seed_log.jsonl");
    SeedLogHeader h = header("cpu", "2.7.1", "float32", "0.01", MODEL);
    SeedLog.create(log, h).close();
    assertThat(Files.readAllLines(log)).hasSize(1);
    assertThat(SeedLog.header(log)).isEqualTo(h);
    assertThat(SeedLog.read(log)).isEmpty();
    Path old = tmp.resolve("old.jsonl");
    Files.writeString(old, "{\"step\":1,\"seed\":5,\"lr\":0.1,\"coefficients\":[1.0]}\n");
    assertThatThrownBy(() -> SeedLog.header(old))
        .isInstanceOf(SeedLogException.class)
        .hasMessageStartingWith(old + ":1: no seed log header");
  }
}
