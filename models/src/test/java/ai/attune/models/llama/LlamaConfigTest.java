package ai.attune.models.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.config.ConfigException;
import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.device.Engines;
import ai.attune.models.Models;
import ai.attune.models.TestData;
import ai.attune.models.layers.RopeParameters;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both rope layouts of Llama configs, and errors that name config.json and the field. */
@Tag("engine")
class LlamaConfigTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  /** The fixture's config.json, edited, written to a folder of its own. */
  private Path config(Consumer<ObjectNode> edit) throws IOException {
    ObjectNode c =
        (ObjectNode) JSON.readTree(TestData.dir("llama3-tiny").resolve("config.json").toFile());
    edit.accept(c);
    Path dir = Files.createTempDirectory(tmp, "model");
    JSON.writeValue(dir.resolve("config.json").toFile(), c);
    return dir;
  }

  private static LlamaConfig read(Path dir) {
    return LlamaConfigReader.read(Models.readConfig(dir));
  }

  /** The older flat layout: rope_theta at the top, the scaling in rope_scaling. */
  private static void flat(ObjectNode c, String scalingJson) {
    ObjectNode params = (ObjectNode) c.remove("rope_parameters");
    c.set("rope_theta", params.get("rope_theta"));
    try {
      c.set("rope_scaling", JSON.readTree(scalingJson));
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void olderFlatLayoutReadsTheSameLlama3Rope() throws IOException {
    LlamaConfig v5 = read(config(c -> {}));
    LlamaConfig v4 =
        read(
            config(
                c ->
                    flat(
                        c,
                        "{\"rope_type\": \"llama3\", \"factor\": 8.0,"
                            + " \"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0,"
                            + " \"original_max_position_embeddings\": 16}")));
    assertThat(v4.rope())
        .isEqualTo(v5.rope())
        .isEqualTo(RopeParameters.llama3(500_000, 16, 8, 1, 4, 16));
    assertThat(v4).isEqualTo(v5);
  }

  @Test
  void legacyTypeKeyNullScalingAndDefaults() throws IOException {
    assertThat(read(config(c -> flat(c, "{\"type\": \"linear\", \"factor\": 2.0}"))).rope())
        .isEqualTo(RopeParameters.linear(500_000, 16, 2));
    assertThat(read(config(c -> flat(c, "null"))).rope())
        .isEqualTo(RopeParameters.standard(500_000, 16));
    LlamaConfig bare =
        read(
            config(
                c -> {
                  c.remove("rope_parameters");
                  c.remove("head_dim");
                  c.remove("num_key_value_heads");
                }));
    assertThat(bare.rope()).isEqualTo(RopeParameters.standard(10_000, 16));
    assertThat(bare.headDim()).isEqualTo(16);
    assertThat(bare.numKvHeads()).isEqualTo(4);
  }

  @Test
  void biasesFollowAttentionBiasAndMlpBias() throws IOException {
    LlamaConfig c =
        read(
            config(
                n -> {
                  n.put("attention_bias", true);
                  n.put("mlp_bias", true);
                }));
    assertThat(c.biases()).isEqualTo(new LlamaConfig.Biases(true, true, true));
  }

  @Test
  void unknownRopeTypeNamesFileAndField() throws IOException {
    Path dir = config(c -> ((ObjectNode) c.get("rope_parameters")).put("rope_type", "yarn"));
    assertThatThrownBy(() -> load(dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("config.json")
        .hasMessageContaining("rope_parameters.rope_type")
        .hasMessageContaining("'yarn'");
    Path old = config(c -> flat(c, "{\"type\": \"dynamic\", \"factor\": 2.0}"));
    assertThatThrownBy(() -> read(old))
        .hasMessageContaining("config.json")
        .hasMessageContaining("rope_scaling.type")
        .hasMessageContaining("'dynamic'");
  }

  @Test
  void missingOrInconsistentLlama3FieldsAreNamed() throws IOException {
    Path missing = config(c -> ((ObjectNode) c.get("rope_parameters")).remove("low_freq_factor"));
    assertThatThrownBy(() -> read(missing))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("config.json")
        .hasMessageContaining("rope_parameters.low_freq_factor");
    Path swapped =
        config(
            c ->
                ((ObjectNode) c.get("rope_parameters"))
                    .put("low_freq_factor", 4.0)
                    .put("high_freq_factor", 1.0));
    assertThatThrownBy(() -> read(swapped))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("config.json: rope_parameters:")
        .hasMessageContaining("high_freq_factor");
    Path negative = config(c -> ((ObjectNode) c.get("rope_parameters")).put("rope_theta", -1));
    assertThatThrownBy(() -> read(negative)).hasMessageContaining("rope_parameters.rope_theta");
  }

  @Test
  void headCountsThatDoNotDivideAreNamed() throws IOException {
    Path dir = config(c -> c.put("num_key_value_heads", 3));
    assertThatThrownBy(() -> read(dir))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("config.json")
        .hasMessageContaining("num_key_value_heads");
    Path odd = config(c -> c.put("head_dim", 15));
    assertThatThrownBy(() -> read(odd)).hasMessageContaining("head_dim");
  }

  private static void load(Path dir) {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU)) {
      Models.load(dir, ComputeDtype.FLOAT32, root).close();
    }
  }
}
