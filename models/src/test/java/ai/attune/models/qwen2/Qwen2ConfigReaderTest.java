package ai.attune.models.qwen2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.config.ConfigException;
import ai.attune.core.config.JsonConfig;
import ai.attune.models.TestData;
import ai.attune.models.layers.RopeParameters;
import ai.attune.models.llama.LlamaConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Qwen2's config in the hub's flat layout, and what it refuses. */
@Tag("pure")
class Qwen2ConfigReaderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private JsonConfig edited(Consumer<ObjectNode> edit) throws IOException {
    ObjectNode c =
        (ObjectNode) JSON.readTree(TestData.dir("qwen2-tiny").resolve("config.json").toFile());
    edit.accept(c);
    Path file = tmp.resolve("config.json");
    JSON.writeValue(file.toFile(), c);
    return JsonConfig.read(file);
  }

  @Test
  void hubLayoutWithTopLevelThetaAndNullScaling() throws IOException {
    LlamaConfig c =
        Qwen2ConfigReader.read(
            edited(
                n -> {
                  n.remove("rope_parameters");
                  n.put("rope_theta", 1_000_000.0);
                  n.putNull("rope_scaling");
                  n.put("eos_token_id", 151643);
                  n.remove("pad_token_id");
                }));
    assertThat(c.rope()).isEqualTo(RopeParameters.standard(1e6, 16));
    assertThat(c.eosTokenIds()).containsExactly(151643);
    assertThat(c.padTokenId()).isEqualTo(151643);
    assertThat(c.biases()).isEqualTo(new LlamaConfig.Biases(true, false, false));
  }

  @Test
  void slidingWindowIsRefusedNamingTheField() throws IOException {
    JsonConfig c = edited(n -> n.put("use_sliding_window", true));
    assertThatThrownBy(() -> Qwen2ConfigReader.read(c))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("config.json")
        .hasMessageContaining("use_sliding_window");
  }
}
