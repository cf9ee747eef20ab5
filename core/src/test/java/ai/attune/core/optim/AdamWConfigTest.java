package ai.attune.core.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.config.JsonConfig;
import ai.attune.core.config.Mappers;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** HF TrainingArguments' field names, defaults and validation. */
@Tag("pure")
class AdamWConfigTest {
  @Test
  void readsHfFieldNamesWithPyTorchDefaults() throws Exception {
    ObjectNode n =
        (ObjectNode)
            Mappers.json()
                .readTree(
                    "{\"learning_rate\": 3e-4," + " \"adam_beta2\": 0.95, \"max_grad_norm\": 0}");
    AdamWConfig c = AdamWConfig.from(JsonConfig.of(n, "train.json"));
    assertThat(c).isEqualTo(new AdamWConfig(3e-4, 0.9, 0.95, 1e-8, 0.01, 0));
    assertThat(c.clips()).isFalse();
    assertThat(AdamWConfig.builder(1e-3).build().clips()).isTrue();
  }

  @Test
  void badValuesAreRefusedByName() {
    assertThatThrownBy(() -> AdamWConfig.builder(0).build()).hasMessageContaining("learning_rate");
    assertThatThrownBy(() -> AdamWConfig.builder(1e-3).optBetas(1.0, 0.9).build())
        .hasMessageContaining("adam_beta1");
    assertThatThrownBy(() -> AdamWConfig.builder(1e-3).optEps(0).build())
        .hasMessageContaining("adam_epsilon");
    assertThatThrownBy(() -> AdamWConfig.builder(1e-3).optWeightDecay(-0.1).build())
        .hasMessageContaining("weight_decay");
    assertThatThrownBy(() -> AdamWConfig.builder(1e-3).optMaxGradNorm(Double.NaN).build())
        .hasMessageContaining("max_grad_norm");
  }
}
