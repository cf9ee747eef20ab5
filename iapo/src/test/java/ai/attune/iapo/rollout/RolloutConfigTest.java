package ai.attune.iapo.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Defaults and validation of the rollout config. */
@Tag("pure")
class RolloutConfigTest {
  @Test
  void defaults() {
    RolloutConfig d = RolloutConfig.defaults();
    assertThat(d.maxTurns()).isEqualTo(3);
    assertThat(d.temperature()).isEqualTo(1.0);
    assertThat(d.topK()).isZero();
    assertThat(d.topP()).isEqualTo(1.0);
    assertThat(d.offerTools()).isTrue();
    assertThat(d.systemPrompt()).isEqualTo(RolloutConfig.DEFAULT_SYSTEM_PROMPT);
  }

  @Test
  void badValuesAreRefusedByName() {
    assertThatThrownBy(() -> RolloutConfig.builder().optMaxTurns(0).build())
        .hasMessageContaining("max_turns");
    assertThatThrownBy(() -> RolloutConfig.builder().optMaxNewTokensPerTurn(0).build())
        .hasMessageContaining("max_new_tokens");
    assertThatThrownBy(() -> RolloutConfig.builder().optTemperature(-1).build())
        .hasMessageContaining("temperature");
    assertThatThrownBy(() -> RolloutConfig.builder().optTopP(0).build())
        .hasMessageContaining("top_p");
    assertThatThrownBy(() -> RolloutConfig.builder().optTopK(-2).build())
        .hasMessageContaining("top_k");
  }
}
