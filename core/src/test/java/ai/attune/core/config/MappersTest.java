package ai.attune.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class MappersTest {
  record Settings(int steps, double lr) {}

  @Test
  void yamlBindsRecordsAndRefusesUnknownKeys() throws Exception {
    Settings s = Mappers.yaml().readValue("steps: 10\nlr: 0.001\n", Settings.class);
    assertThat(s).isEqualTo(new Settings(10, 0.001));
    assertThatThrownBy(() -> Mappers.yaml().readValue("steps: 10\nlrr: 0.1\n", Settings.class))
        .isInstanceOf(UnrecognizedPropertyException.class)
        .hasMessageContaining("lrr");
    assertThat(Mappers.yaml().writeValueAsString(s)).isEqualTo("steps: 10\nlr: 0.001\n");
  }

  @Test
  void jsonIsIndentedAndWritesNonFiniteAsStrings() throws Exception {
    String json = Mappers.json().writeValueAsString(new Settings(3, Double.NaN));
    assertThat(json).contains("\n  \"steps\" : 3").contains("\"lr\" : \"NaN\"");
    assertThat(Mappers.json().readTree("{\"x\": NaN}").get("x").doubleValue()).isNaN();
  }
}
