package ai.attune.models.llama;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.models.DecoderReferenceChecks;
import ai.attune.models.layers.RopeParameters;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Llama (GQA 4/2, llama3 rope, untied head, 12 shards) against HF's llama3-tiny outputs. */
@Tag("engine")
class LlamaForCausalLMTest extends DecoderReferenceChecks {
  @Override
  protected String model() {
    return "llama3-tiny";
  }

  @Test
  void configAndParametersAreThoseOfTheFixture() {
    LlamaConfig c = ((LlamaForCausalLM) lm).config();
    assertThat(c.numKvHeads()).isEqualTo(2);
    assertThat(c.groups()).isEqualTo(2);
    assertThat(c.rope()).isEqualTo(RopeParameters.llama3(500_000, 16, 8, 1, 4, 16));
    assertThat(lm.parameters().aliases()).isEmpty();
    assertThat(lm.parameters().get("lm_head.weight").shape().getShape()).containsExactly(512, 64);
    assertThat(lm.parameters().get("model.layers.1.self_attn.k_proj.weight").shape().getShape())
        .containsExactly(32, 64);
    assertThat(lm.parameters().find("model.layers.0.self_attn.q_proj.bias")).isEmpty();
    assertThat(lm.info().eosTokenIds()).containsExactly(2);
  }

  @Test
  void checkpointNamesOfTheBareModelMap() {
    assertThat(LlamaForCausalLM.mapCheckpointName("layers.0.mlp.up_proj.weight"))
        .contains("model.layers.0.mlp.up_proj.weight");
    assertThat(LlamaForCausalLM.mapCheckpointName("norm.weight")).contains("model.norm.weight");
    assertThat(LlamaForCausalLM.mapCheckpointName("lm_head.weight")).contains("lm_head.weight");
    assertThat(LlamaForCausalLM.mapCheckpointName("score.weight")).isEmpty();
  }
}
