package ai.attune.iapo.rollout;

import static ai.attune.core.config.InvalidSettingException.nonNegative;
import static ai.attune.core.config.InvalidSettingException.positive;
import static ai.attune.core.config.InvalidSettingException.require;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * How {@link RolloutRunner} samples multi-turn rollouts (iapo.md §2 step 1), validated at
 * construction. Build with {@link #builder()}, or bound by Jackson straight from the {@code
 * rollout} section of an IAPO config: its keys are the snake_case forms below ({@code
 * max_new_tokens} for {@code maxNewTokensPerTurn}), their defaults those of the builder, and an
 * error is an {@link ai.attune.core.config.InvalidSettingException} naming the key. Evaluation
 * rollouts use the same settings at {@code rollout.eval_temperature}.
 *
 * @param maxTurns ({@code max_turns}) the most assistant turns per rollout; a rollout still calling
 *     tools after the last one ends there; >= 1; default 3
 * @param maxNewTokensPerTurn ({@code max_new_tokens}) token limit of one assistant turn; >= 1;
 *     default 256
 * @param temperature ({@code temperature}) sampling temperature of training rollouts; 0 is greedy;
 *     >= 0; default 1.0 (GRPO samples from the policy itself)
 * @param topK ({@code top_k}) keep the k most likely tokens; 0 = off (default)
 * @param topP ({@code top_p}) nucleus sampling mass; in (0, 1]; 1 = off (default)
 * @param systemPrompt ({@code system_prompt}) the system turn's text; the tool definitions follow
 *     it when tools are offered; default (or null) {@link #DEFAULT_SYSTEM_PROMPT}
 * @param offerTools ({@code offer_tools}) whether the tool definitions are rendered into the system
 *     turn; calls are executed either way (a model warm-started without the definitions, which are
 *     long, may be trained without them); default true
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RolloutConfig(
    int maxTurns,
    @JsonProperty("max_new_tokens") int maxNewTokensPerTurn,
    double temperature,
    int topK,
    double topP,
    String systemPrompt,
    boolean offerTools) {

  /** The default system text: what to do with the tools and how to answer. */
  public static final String DEFAULT_SYSTEM_PROMPT =
      "You answer questions about charts and"
          + " tables. Call a tool to zoom in on or highlight the part of the image you need, then"
          + " end with the line FINAL ANSWER: <answer>";

  public RolloutConfig {
    positive(maxTurns, "max_turns");
    positive(maxNewTokensPerTurn, "max_new_tokens");
    nonNegative(temperature, "temperature");
    nonNegative(topK, "top_k");
    require(topP > 0 && topP <= 1, "top_p", "must be in (0, 1], got " + topP);
    systemPrompt = systemPrompt == null ? DEFAULT_SYSTEM_PROMPT : systemPrompt;
  }

  /** A copy sampling at another temperature (evaluation's). */
  public RolloutConfig withTemperature(double t) {
    return new RolloutConfig(
        maxTurns, maxNewTokensPerTurn, t, topK, topP, systemPrompt, offerTools);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The defaults. */
  public static RolloutConfig defaults() {
    return builder().build();
  }

  /** Collects the fields; {@link #build} validates. */
  public static final class Builder {
    private int maxTurns = 3;
    private int maxNewTokensPerTurn = 256;
    private double temperature = 1.0;
    private int topK;
    private double topP = 1.0;
    private String systemPrompt = DEFAULT_SYSTEM_PROMPT;
    private boolean offerTools = true;

    private Builder() {}

    public Builder optMaxTurns(int v) {
      maxTurns = v;
      return this;
    }

    public Builder optMaxNewTokensPerTurn(int v) {
      maxNewTokensPerTurn = v;
      return this;
    }

    public Builder optTemperature(double v) {
      temperature = v;
      return this;
    }

    public Builder optTopK(int v) {
      topK = v;
      return this;
    }

    public Builder optTopP(double v) {
      topP = v;
      return this;
    }

    public Builder optSystemPrompt(String v) {
      systemPrompt = v;
      return this;
    }

    public Builder optOfferTools(boolean v) {
      offerTools = v;
      return this;
    }

    public RolloutConfig build() {
      return new RolloutConfig(
          maxTurns, maxNewTokensPerTurn, temperature, topK, topP, systemPrompt, offerTools);
    }
  }
}
