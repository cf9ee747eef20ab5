package ai.attune.models.opt;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.config.ConfigException;
import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.core.safetensors.HostTensor;
import ai.attune.core.safetensors.SafetensorsCheckpoint;
import ai.attune.core.safetensors.SafetensorsWriter;
import ai.attune.models.Models;
import ai.attune.models.TestData;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broken checkpoint folder gives an error that names the file, tensor or field. */
@Tag("engine")
class CheckpointErrorsTest {
  @TempDir Path tmp;

  private Path copyWith(UnaryOperator<List<HostTensor>> edit, String config) throws IOException {
    Path dir = tmp.resolve("model");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("config.json"), config);
    List<HostTensor> tensors = new ArrayList<>();
    try (SafetensorsCheckpoint src = SafetensorsCheckpoint.open(TestData.dir("opt-tiny"))) {
      for (String name : src.names()) {
        HostTensor t = src.read(name);
        tensors.add(HostTensor.ofFloats(name, t.shape(), t.toFloats()));
      }
    }
    SafetensorsWriter.write(dir.resolve("model.safetensors"), edit.apply(tensors), Map.of());
    return dir;
  }

  private static String config() throws IOException {
    return Files.readString(TestData.dir("opt-tiny").resolve("config.json"));
  }

  private static void load(Path dir) {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU)) {
      Models.load(dir, ComputeDtype.FLOAT32, root).close();
    }
  }

  @Test
  void missingTensorIsNamed() throws IOException {
    Path dir =
        copyWith(
            ts -> {
              ts.removeIf(t -> t.name().equals("model.decoder.layers.1.fc2.weight"));
              return ts;
            },
            config());
    assertThatThrownBy(() -> load(dir))
        .hasMessageContaining("missing")
        .hasMessageContaining("model.decoder.layers.1.fc2.weight");
  }

  @Test
  void shapeMismatchNamesTensorFileAndShapes() throws IOException {
    Path dir =
        copyWith(
            ts -> {
              ts.replaceAll(
                  t ->
                      t.name().equals("model.decoder.layers.0.fc1.bias")
                          ? HostTensor.ofFloats(t.name(), new long[] {127}, new float[127])
                          : t);
              return ts;
            },
            config());
    assertThatThrownBy(() -> load(dir))
        .hasMessageContaining("model.decoder.layers.0.fc1.bias")
        .hasMessageContaining("model.safetensors")
        .hasMessageContaining("(127)")
        .hasMessageContaining("(128)");
  }

  @Test
  void unknownModelTypeAndMissingFieldAreNamed() throws IOException {
    Path dir =
        copyWith(
            ts -> ts, config().replace("\"model_type\": \"opt\"", "\"model_type\": \"gpt-9\""));
    assertThatThrownBy(() -> load(dir))
        .hasMessageContaining("gpt-9")
        .hasMessageContaining("config.json");
    Path noHidden = copyWith(ts -> ts, config().replace("\"hidden_size\": 64,", ""));
    assertThatThrownBy(() -> load(noHidden))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("hidden_size")
        .hasMessageContaining("config.json");
  }

  @Test
  void unknownActivationIsNamed() throws IOException {
    Path dir = copyWith(ts -> ts, config().replace("\"relu\"", "\"quick_gelu_2\""));
    assertThatThrownBy(() -> load(dir))
        .hasMessageContaining("quick_gelu_2")
        .hasMessageContaining("config.json");
  }

  @Test
  void folderWithoutConfigIsRefused() {
    assertThatThrownBy(() -> load(tmp))
        .hasMessageContaining("config.json")
        .hasMessageContaining(tmp.toString());
  }
}
