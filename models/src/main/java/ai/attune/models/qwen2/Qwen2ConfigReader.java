package ai.attune.models.qwen2;

import ai.attune.core.config.ConfigException;
import ai.attune.core.config.JsonConfig;
import ai.attune.models.llama.LlamaConfig;
import java.util.List;

/**
 * Reads an HF {@code model_type: qwen2} config into the shared {@link LlamaConfig}: Qwen2 is the
 * Llama decoder with biases on the query, key and value projections only. Sliding-window attention
 * ({@code use_sliding_window: true}, off in the released checkpoints) is refused.
 */
public final class Qwen2ConfigReader {
  private Qwen2ConfigReader() {}

  public static LlamaConfig read(JsonConfig c) {
    if (c.optBoolean("use_sliding_window", false)) {
      throw ConfigException.forField(
          c.source(),
          "use_sliding_window",
          "sliding-window attention is not supported (only full attention)");
    }
    return LlamaConfig.read(c, "qwen2", new LlamaConfig.Biases(true, false, false), -1, List.of());
  }
}
