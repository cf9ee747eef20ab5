package ai.attune.models.llama;

import ai.attune.core.config.JsonConfig;
import java.util.List;

/**
 * Reads an HF {@code model_type: llama} config: {@code attention_bias} puts a bias on all four
 * attention projections, {@code mlp_bias} on the MLP; the token ids default as HF's {@code
 * LlamaConfig} does (bos 1, eos 2).
 */
public final class LlamaConfigReader {
  private LlamaConfigReader() {}

  public static LlamaConfig read(JsonConfig c) {
    boolean attentionBias = c.optBoolean("attention_bias", false);
    LlamaConfig.Biases biases =
        new LlamaConfig.Biases(attentionBias, attentionBias, c.optBoolean("mlp_bias", false));
    return LlamaConfig.read(c, "llama", biases, 1, List.of(2));
  }
}
