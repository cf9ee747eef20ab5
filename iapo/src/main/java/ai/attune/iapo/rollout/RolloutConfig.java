package ai.attune.iapo.rollout;

import java.util.Objects;

/**
 * How {@link RolloutRunner} samples multi-turn rollouts, validated at construction. Build with
 * {@link #builder()}; the defaults below are the ones the {@code rollout} section of an IAPO config
 * takes (its keys are the snake_case forms below, {@code max_new_tokens} for {@code
 * max_new_tokens_per_turn}).
 *
 * @param maxTurns ({@code max_turns}) the most assistant turns per rollout; a rollout still calling
 *     tools after the last one ends there; >= 1; default 3
 * @param maxNewTokensPerTurn ({@code max_new_tokens_per_turn}) generation limit of one assistant
 *     turn; >= 1; default 256
 * @param temperature ({@code temperature}) sampling temperature; 0 is greedy; >= 0; default 1.0
 *     (GRPO samples from the policy itself)
 * @param topK ({@code top_k}) keep the k most likely tokens; 0 = off (default)
 * @param topP ({@code top_p}) nucleus sampling mass; in (0, 1]; 1 = off (default)
 * @param systemPrompt ({@code system_prompt}) the system turn's text; the tool definitions follow
 *     it when tools are offered; default {@link #DEFAULT_SYSTEM_PROMPT}
 * @param offerTools ({@code offer_tools}) whether the tool definitions are rendered into the system
 *     turn (calls are executed either way; a model trained on the format may not need the
 *     definitions, which are long); default true
 */
public record RolloutConfig(
    int maxTurns,
    int maxNewTokensPerTurn,
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
    if (maxTurns < 1) {
      throw new IllegalArgumentException("max_turns must be >= 1, got " + maxTurns);
    }
    if (maxNewTokensPerTurn < 1) {
      throw new IllegalArgumentException(
          "max_new_tokens_per_turn must be >= 1, got " + maxNewTokensPerTurn);
    }
    if (!(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
    }
    if (topK < 0) {
      throw new IllegalArgumentException("top_k must be >= 0 (0 = off), got " + topK);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
    }
    Objects.requireNonNull(systemPrompt, "system_prompt");
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
