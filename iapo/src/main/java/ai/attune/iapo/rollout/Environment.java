package ai.attune.iapo.rollout;

import ai.attune.iapo.tools.ToolRegistry;
import ai.attune.models.qwen2vl.Qwen2VlImageProcessor;
import ai.attune.models.text.TextTokenizer;
import java.util.Objects;

/**
 * What every rollout of a runner shares: the tokenizer and its markers, the tools, the image
 * processor for tool outputs, and the config.
 */
record Environment(
    TextTokenizer tokenizer,
    SpecialTokens special,
    ToolRegistry registry,
    Qwen2VlImageProcessor processor,
    RolloutConfig config) {
  Environment {
    Objects.requireNonNull(tokenizer, "tokenizer");
    Objects.requireNonNull(special, "special");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(processor, "processor");
    Objects.requireNonNull(config, "config");
  }
}
