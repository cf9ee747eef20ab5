package ai.attune.models.qwen2;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.models.DecoderReferenceChecks;
import ai.attune.models.layers.RopeParameters;
import ai.attune.models.llama.LlamaConfig;
import ai.attune.models.llama.LlamaForCausalLM;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Qwen2 (q/k/v biases, theta 1e6, tied head) against HF's qwen2-tiny outputs. */
@Tag("engine")
class Qwen2ForCausalLMTest extends DecoderReferenceChecks {
  @Override
  protected String model() {
    return "qwen2-tiny";
  }

  @Test
  void configAndParametersAreThoseOfTheFixture() {
    LlamaConfig c = ((LlamaForCausalLM) lm).config();
    assertThat(c.modelType()).isEqualTo("qwen2");
    assertThat(c.rope()).isEqualTo(RopeParameters.standard(1e6, 16));
    assertThat(c.biases()).isEqualTo(new LlamaConfig.Biases(true, false, false));
    assertThat(lm.parameters().aliases())
        .containsEntry("lm_head.weight", "model.embed_tokens.weight");
    assertThat(lm.parameters().find("model.layers.0.self_attn.k_proj.bias")).isPresent();
    assertThat(lm.parameters().find("model.layers.0.self_attn.o_proj.bias")).isEmpty();
    assertThat(lm.info().eosTokenIds()).isEmpty();
    assertThat(lm.info().bosTokenId()).isEqualTo(-1);
    assertThat(lm.info().padTokenId()).isZero();
  }
}
