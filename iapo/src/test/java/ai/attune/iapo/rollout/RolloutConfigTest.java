package ai.attune.iapo.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.config.JsonConfig;
import ai.attune.core.config.Mappers;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Defaults, JSON field names and validation of the rollout config. */
@Tag("pure")
class RolloutConfigTest {
  @Test
  void defaultsAndSnakeCaseFields() throws Exception {
    RolloutConfig d = RolloutConfig.defaults();
    assertThat(d.maxTurns()).isEqualTo(3);
    assertThat(d.temperature()).isEqualTo(1.0);
    assertThat(d.topK()).isZero();
    assertThat(d.topP()).isEqualTo(1.0);
    assertThat(d.offerTools()).isTrue();
    assertThat(d.systemPrompt()).isEqualTo(RolloutConfig.DEFAULT_SYSTEM_PROMPT);
    ObjectNode n =
        (ObjectNode)
            Mappers.json()
                .readTree(
                    "{\"max_turns\": 5,"
                        + " \"max_new_tokens_per_turn\": 64, \"temperature\": 0.7, \"top_k\": 20,"
                        + " \"top_p\": 0.9, \"system_prompt\": \"Be brief.\", \"offer_tools\": false}");
    assertThat(RolloutConfig.from(JsonConfig.of(n, "rollout.json")))
        .isEqualTo(new RolloutConfig(5, 64, 0.7, 20, 0.9, "Be brief.", false));
  }

  @Test
  void badValuesAreRefusedByName() {
    assertThatThrownBy(() -> RolloutConfig.builder().optMaxTurns(0).build())
        .hasMessageContaining("max_turns");
    assertThatThrownBy(() -> RolloutConfig.builder().optMaxNewTokensPerTurn(0).build())
        .hasMessageContaining("max_new_tokens_per_turn");
    assertThatThrownBy(() -> RolloutConfig.builder().optTemperature(-1).build())
        .hasMessageContaining("temperature");
    assertThatThrownBy(() -> RolloutConfig.builder().optTopP(0).build())
        .hasMessageContaining("top_p");
    assertThatThrownBy(() -> RolloutConfig.builder().optTopK(-2).build())
        .hasMessageContaining("top_k");
  }
}
