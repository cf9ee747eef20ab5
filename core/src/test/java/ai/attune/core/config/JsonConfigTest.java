package ai.attune.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("pure")
class JsonConfigTest {
  private static final String GEMMA_LIKE =
      "{\n"
          + "  \"model_type\": \"gemma3\",\n"
          + "  \"architectures\": [\"Gemma3ForConditionalGeneration\"],\n"
          + "  \"eos_token_id\": [1, 106],\n"
          + "  \"tie_word_embeddings\": true,\n"
          + "  \"unknown_future_field\": {\"x\": 1},\n"
          + "  \"text_config\": {\n"
          + "    \"hidden_size\": 1152,\n"
          + "    \"vocab_size\": 262144.0,\n"
          + "    \"rms_norm_eps\": 1e-06,\n"
          + "    \"hidden_activation\": \"GELU_PYTORCH_TANH\",\n"
          + "    \"layer_types\": [\"sliding\", \"full\"],\n"
          + "    \"rope_scaling\": null,\n"
          + "    \"rope_parameters\": {\"rope_theta\": \"big\", \"factor\": -2.0}\n"
          + "  }\n"
          + "}\n";

  @TempDir Path dir;

  enum Activation {
    SILU,
    GELU,
    GELU_PYTORCH_TANH
  }

  private JsonConfig gemma() throws IOException {
    Path file = dir.resolve("config.json");
    Files.writeString(file, GEMMA_LIKE);
    return JsonConfig.read(file);
  }

  @Test
  void readsTypedFieldsAndIgnoresUnknownOnes() throws IOException {
    JsonConfig c = gemma();
    assertThat(c.requireString("model_type")).isEqualTo("gemma3");
    assertThat(c.requireBoolean("tie_word_embeddings")).isTrue();
    assertThat(c.requireStringList("architectures"))
        .containsExactly("Gemma3ForConditionalGeneration");
    assertThat(c.optIntList("eos_token_id")).containsExactly(1, 106);
    assertThat(c.file()).contains(dir.resolve("config.json"));
    assertThat(c.fieldNames()).startsWith("model_type", "architectures");
    JsonConfig text = c.requireObject("text_config");
    assertThat(text.path()).isEqualTo("text_config");
    assertThat(text.requirePositiveInt("hidden_size")).isEqualTo(1152);
    assertThat(text.requireLong("vocab_size")).isEqualTo(262144L);
    assertThat(text.requirePositiveDouble("rms_norm_eps")).isEqualTo(1e-6);
    assertThat(text.requireEnum("hidden_activation", Activation.class))
        .isEqualTo(Activation.GELU_PYTORCH_TANH);
  }

  @Test
  void nullAndAbsentFieldsTakeDefaults() throws IOException {
    JsonConfig text = gemma().requireObject("text_config");
    assertThat(text.has("rope_scaling")).isFalse();
    assertThat(text.has("hidden_size")).isTrue();
    assertThat(text.optObject("rope_scaling")).isEmpty();
    assertThat(text.optInt("sliding_window", 512)).isEqualTo(512);
    assertThat(text.optInt("hidden_size")).contains(1152);
    assertThat(text.optLong("max_position_embeddings", 8192L)).isEqualTo(8192L);
    assertThat(text.optDouble("rope_local_base_freq", 10000.0)).isEqualTo(10000.0);
    assertThat(text.optString("hidden_act", "silu")).isEqualTo("silu");
    assertThat(text.optBoolean("use_cache", true)).isTrue();
    assertThat(text.optEnum("act", Activation.class, Activation.SILU)).isEqualTo(Activation.SILU);
    assertThat(text.optIntList("eos_token_id")).isEmpty();
    assertThat(text.optStringList("none")).isEmpty();
    assertThat(text.optDoubleArray("none")).isEmpty();
  }

  @Test
  void singleIntIsAcceptedAsIntList() {
    ObjectNode node = Mappers.json().createObjectNode().put("eos_token_id", 2);
    assertThat(JsonConfig.of(node, "inline").optIntList("eos_token_id")).containsExactly(2);
  }

  @Test
  void missingFieldNamesFileAndFullPath() throws IOException {
    JsonConfig rope = gemma().requireObject("text_config").requireObject("rope_parameters");
    assertThatThrownBy(() -> rope.requireDouble("partial_rotary_factor"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("config.json: text_config.rope_parameters.partial_rotary_factor")
        .hasMessageContaining("missing");
    assertThatThrownBy(() -> gemma().requireObject("text_config").requireInt("rope_scaling"))
        .hasMessageContaining("config.json: text_config.rope_scaling: required field is missing");
  }

  @Test
  void typeErrorsNameFileFieldAndValue() throws IOException {
    JsonConfig rope = gemma().requireObject("text_config").requireObject("rope_parameters");
    assertThatThrownBy(() -> rope.requireDouble("rope_theta"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("config.json: text_config.rope_parameters.rope_theta")
        .hasMessageContaining("\"big\" (string)");
    ConfigException e = catchConfig(() -> rope.requirePositiveDouble("factor"));
    assertThat(e.source()).endsWith("config.json");
    assertThat(e.field()).isEqualTo("text_config.rope_parameters.factor");
    assertThat(e).hasMessageContaining("expected a positive finite number, got -2.0");
  }

  @Test
  void fractionalNumberIsNotAnInt() {
    JsonConfig c = inline("{\"n\": 1.5, \"big\": 3000000000, \"s\": \"12\", \"b\": 1}");
    assertThatThrownBy(() -> c.requireInt("n"))
        .hasMessageContaining("inline: n: expected an int, got 1.5");
    assertThatThrownBy(() -> c.requireInt("big")).hasMessageContaining("out of int range");
    assertThat(c.requireLong("big")).isEqualTo(3_000_000_000L);
    assertThatThrownBy(() -> c.requireInt("s")).hasMessageContaining("\"12\" (string)");
    assertThatThrownBy(() -> c.requireBoolean("b"))
        .hasMessageContaining("inline: b: expected a boolean");
    assertThatThrownBy(() -> c.requireString("b")).hasMessageContaining("got 1 (number)");
  }

  @Test
  void positiveChecksNameTheValue() {
    JsonConfig c = inline("{\"heads\": -3, \"zero\": 0, \"eps\": 0.0, \"inf\": Infinity}");
    assertThatThrownBy(() -> c.requirePositiveInt("heads"))
        .hasMessageContaining("inline: heads: expected a positive int, got -3");
    assertThatThrownBy(() -> c.requirePositiveInt("zero")).hasMessageContaining("got 0");
    assertThatThrownBy(() -> c.requirePositiveDouble("eps")).hasMessageContaining("inline: eps");
    assertThatThrownBy(() -> c.requirePositiveDouble("inf")).hasMessageContaining("Infinity");
    assertThat(c.requireDouble("inf")).isInfinite();
  }

  @Test
  void arraysAreCheckedElementByElement() {
    JsonConfig c = inline("{\"a\": [1, 2, 3], \"d\": [0.5, 2], \"bad\": [1, \"x\"], \"n\": 4}");
    assertThat(c.requireIntArray("a")).containsExactly(1, 2, 3);
    assertThat(c.requireLongArray("a")).containsExactly(1L, 2L, 3L);
    assertThat(c.requireDoubleArray("d")).containsExactly(0.5, 2.0);
    assertThat(c.optDoubleArray("d")).hasValueSatisfying(d -> assertThat(d).hasSize(2));
    assertThatThrownBy(() -> c.requireIntArray("bad"))
        .hasMessageContaining("inline: bad[1]: expected an int, got \"x\" (string)");
    assertThatThrownBy(() -> c.requireIntArray("n"))
        .hasMessageContaining("inline: n: expected an array, got 4 (number)");
    assertThatThrownBy(() -> c.requireObject("a")).hasMessageContaining("expected an object");
  }

  @Test
  void unknownEnumValueListsAllowedValues() throws IOException {
    JsonConfig c = inline("{\"act\": \"relu\"}");
    assertThatThrownBy(() -> c.requireEnum("act", Activation.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("inline: act: unknown value \"relu\"")
        .hasMessageContaining("[silu, gelu, gelu_pytorch_tanh]");
    assertThatThrownBy(() -> c.optEnum("act", Activation.class, Activation.SILU))
        .hasMessageContaining("gelu_pytorch_tanh");
  }

  @Test
  void missingFileIsReportedWithItsPath() {
    Path file = dir.resolve("nope").resolve("config.json");
    assertThatThrownBy(() -> JsonConfig.read(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("file not found");
  }

  @Test
  void badJsonIsReportedWithLineAndColumn() throws IOException {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{\n  \"a\": 1,\n  \"b\": ]\n}\n");
    assertThatThrownBy(() -> JsonConfig.read(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file + ": not valid JSON at line 3, column");
  }

  @Test
  void topLevelMustBeAnObject() throws IOException {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "[1, 2]");
    assertThatThrownBy(() -> JsonConfig.read(file))
        .hasMessageContaining("expected a JSON object at the top level, found [1,2] (array)");
    Files.writeString(file, "");
    assertThatThrownBy(() -> JsonConfig.read(file)).hasMessageContaining("found nothing");
  }

  @Test
  void viewIsImmutableAndNodeIsACopy() {
    ObjectNode original = Mappers.json().createObjectNode().put("n", 1);
    JsonConfig c = JsonConfig.of(original, "inline");
    original.put("n", 2);
    c.node().put("n", 3);
    assertThat(c.requireInt("n")).isEqualTo(1);
    assertThat(c).hasToString("inline");
  }

  private static JsonConfig inline(String json) {
    try {
      return JsonConfig.of((ObjectNode) Mappers.json().readTree(json), "inline");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static ConfigException catchConfig(Runnable r) {
    try {
      r.run();
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("expected a ConfigException");
  }
}
