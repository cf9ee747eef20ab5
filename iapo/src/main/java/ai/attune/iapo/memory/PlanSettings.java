package ai.attune.iapo.memory;

/**
 * The settings of a run that its memory depends on, with the token counts a config does not fix
 * (how long a prompt with its image is, how long a tool's output is) as stated assumptions.
 *
 * @param microBatchSize rollouts per forward/backward pass of the policy update
 * @param generationRows rollouts generated together (G per prompt)
 * @param maxTurns assistant turns per rollout
 * @param maxNewTokens tokens per turn
 * @param promptTokens the prompt with its image tokens (assumed)
 * @param toolOutputTokens one tool result with its returned image (assumed)
 * @param igRowsPerPass interpolated inputs per integrated-gradients pass ({@code
 *     alignment.steps_per_pass})
 * @param attributes whether attributions run (a teacher is configured)
 * @param runtimeBytes the allowance for the CUDA context and allocator slack
 * @param recompute whether backward passes recompute the decoder layer by layer
 */
public record PlanSettings(
    int microBatchSize,
    int generationRows,
    int maxTurns,
    int maxNewTokens,
    int promptTokens,
    int toolOutputTokens,
    int igRowsPerPass,
    boolean attributes,
    long runtimeBytes,
    boolean recompute) {
  /** Positions whose logits the policy update holds at once (PolicyUpdate.HEAD_CHUNK). */
  static final int HEAD_CHUNK = 512;

  /** Default assumptions: a 1,024-token prompt, 700 tokens per tool result, 2 GB runtime. */
  public static final int DEFAULT_PROMPT_TOKENS = 1024;

  public static final int DEFAULT_TOOL_OUTPUT_TOKENS = 700;
  public static final long DEFAULT_RUNTIME_BYTES = 2_000_000_000L;

  /** The longest rollout: prompt, every turn and every tool result but the last turn's. */
  public int sequenceTokens() {
    return promptTokens + maxTurns * maxNewTokens + (maxTurns - 1) * toolOutputTokens;
  }

  /** Policy tokens of the longest rollout. */
  public int policyTokens() {
    return maxTurns * maxNewTokens;
  }

  /** Tokens attributed: everything before the last turn, plus that turn (the tool call). */
  public int attributionTokens() {
    return promptTokens + (maxTurns - 1) * (maxNewTokens + toolOutputTokens) + maxNewTokens;
  }
}
