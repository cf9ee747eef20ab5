package ai.attune.core.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.config.ConfigException;
import ai.attune.core.config.ConfigYaml;
import ai.attune.core.config.Mappers;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** HF TrainingArguments' field names, defaults and validation. */
@Tag("pure")
class AdamWConfigTest {
  @Test
  void bindsFromASectionWithTheBuildersDefaults() throws Exception {
    ObjectNode tree = AdamWConfig.defaults();
    assertThat(tree.has("lr")).isFalse();
    tree.setAll((ObjectNode) Mappers.json().readTree("{\"lr\": 3e-4, \"beta2\": 0.95}"));
    AdamWConfig c = ConfigYaml.bind("optim.yaml", tree, AdamWConfig.class);
    assertThat(c).isEqualTo(new AdamWConfig(3e-4, 0.9, 0.95, 1e-8, 0.01, 1.0));
    assertThat(c.clips()).isTrue();
    assertThat(c.withLr(1e-5).lr()).isEqualTo(1e-5);
    assertThat(AdamWConfig.builder(1e-3).optMaxGradNorm(0).build().clips()).isFalse();
    assertThat(ConfigYaml.MAPPER.valueToTree(c).fieldNames())
        .toIterable()
        .containsExactly("lr", "beta1", "beta2", "eps", "weight_decay", "max_grad_norm");
  }

  @Test
  void aBadValueInASectionIsNamedUnderTheSection() throws Exception {
    ObjectNode root = Mappers.json().createObjectNode();
    ObjectNode optim = AdamWConfig.defaults();
    optim.put("lr", 1e-3).put("max_grad_norm", -1.0);
    root.set("optim", optim);
    assertThatThrownBy(() -> ConfigYaml.bind("run.yaml", root, Holder.class))
        .isInstanceOf(ConfigException.class)
        .hasMessage("run.yaml: optim.max_grad_norm: must be a finite number >= 0, got -1.0");
  }

  /** A config with one section bound straight to the domain record. */
  record Holder(AdamWConfig optim) {}

  @Test
  void badValuesAreRefusedByName() {
    assertThatThrownBy(() -> AdamWConfig.builder(0).build())
        .hasMessageContaining("lr: must be a finite number > 0");
    assertThatThrownBy(() -> AdamWConfig.builder(1e-3).optBetas(1.0, 0.9).build())
        .hasMessageContaining("beta1: must be in [0, 1)");
    assertThatThrownBy(() -> AdamWConfig.builder(1e-3).optEps(0).build())
        .hasMessageContaining("eps: must be");
    assertThatThrownBy(() -> AdamWConfig.builder(1e-3).optWeightDecay(-0.1).build())
        .hasMessageContaining("weight_decay");
    assertThatThrownBy(() -> AdamWConfig.builder(1e-3).optMaxGradNorm(Double.NaN).build())
        .hasMessageContaining("max_grad_norm");
  }
}
