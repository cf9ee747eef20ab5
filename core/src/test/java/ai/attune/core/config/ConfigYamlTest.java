package ai.attune.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Binding a section that holds domain records as unwrapped components: flat keys read and written
 * back, unknown keys refused, and every error naming the full dotted key.
 */
@Tag("pure")
class ConfigYamlTest {
  /** How a sampled token is drawn. */
  enum Pick {
    @JsonProperty("top")
    TOP_K,
    @JsonProperty("nucleus")
    TOP_P
  }

  /** A domain record: validates itself, naming its own keys. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Sampling(int maxTurns, double topP, Pick pick) {
    Sampling {
      InvalidSettingException.positive(maxTurns, "max_turns");
      InvalidSettingException.require(
          topP > 0 && topP <= 1, "top_p", "must be in (0, 1], got " + topP);
    }
  }

  /** A domain record holding another one unwrapped, two levels below the section. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Policy(double temperature, @JsonUnwrapped Sampling sampling) {
    Policy {
      InvalidSettingException.nonNegative(temperature, "temperature");
    }
  }

  /** A section: its own setting beside a domain record's. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Section(int groupSize, @JsonUnwrapped Policy policy) {
    Section {
      InvalidSettingException.require(
          groupSize >= 2, "rollout.group_size", "must be >= 2, got " + groupSize);
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record Run(int steps, Section rollout) {}

  private static final String GOOD =
      "steps: 3\n"
          + "rollout: {group_size: 4, temperature: 1.0, max_turns: 2, top_p: 0.9, pick: top}\n";

  private static ObjectNode tree(String yaml) throws Exception {
    return (ObjectNode) ConfigYaml.MAPPER.readTree(yaml);
  }

  private static void assertField(String yaml, String field, String problem) {
    assertThatThrownBy(() -> ConfigYaml.bind("run.yaml", tree(yaml), Run.class))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).field()).isEqualTo(field))
        .hasMessageStartingWith("run.yaml: " + field + ": ")
        .hasMessageContaining(problem);
  }

  @Test
  void unwrappedRecordsReadAndWriteFlatKeys() throws Exception {
    Run r = ConfigYaml.bind("run.yaml", tree(GOOD), Run.class);
    assertThat(r.rollout())
        .isEqualTo(new Section(4, new Policy(1.0, new Sampling(2, 0.9, Pick.TOP_K))));
    assertThat((Object) ConfigYaml.MAPPER.valueToTree(r)).isEqualTo(tree(GOOD));
  }

  @Test
  void anUnknownKeyBesideAnUnwrappedRecordIsRefusedWithItsPath() {
    assertField(
        GOOD.replace("pick: top", "pick: top, top_pp: 0.5"),
        "rollout.top_pp",
        "unknown key (known keys: group_size, max_turns, pick, temperature, top_p)");
    // an unwrapped component's own name is no key, whatever its value
    assertField(
        GOOD.replace("pick: top", "pick: top, policy: {temperature: 1}"),
        "rollout.policy",
        "unknown key");
    assertField(GOOD.replace("pick: top", "pick: top, sampling: 3"), "rollout.sampling", "unknown");
  }

  @Test
  void aDomainRecordsOwnCheckNamesTheFullKey() {
    assertField(GOOD.replace("top_p: 0.9", "top_p: 2.0"), "rollout.top_p", "(0, 1], got 2.0");
    assertField(GOOD.replace("temperature: 1.0", "temperature: -1"), "rollout.temperature", ">= 0");
    assertField(GOOD.replace("group_size: 4", "group_size: 1"), "rollout.group_size", ">= 2");
  }

  @Test
  void missingAndMistypedKeysOfADomainRecordNameTheFullKey() {
    assertField(GOOD.replace("max_turns: 2, ", ""), "rollout.max_turns", "required field");
    assertField(GOOD.replace("max_turns: 2", "max_turns: two"), "rollout.max_turns", "'two'");
    assertField(GOOD.replace("max_turns: 2", "max_turns: [2]"), "rollout.max_turns", "wrong type");
  }

  @Test
  void anUnknownEnumValueListsTheWrittenNames() {
    assertField(
        GOOD.replace("pick: top", "pick: greedy"),
        "rollout.pick",
        "unknown value 'greedy', expected one of top, nucleus");
  }
}
