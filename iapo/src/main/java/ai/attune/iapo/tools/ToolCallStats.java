package ai.attune.iapo.tools;

/**
 * Counts of a rollout's tool calls.
 *
 * @param attempted every {@code <tool_call>} block the model wrote, well-formed or not
 * @param parseFailures blocks that were malformed (bad JSON, no name, ...), never executed
 * @param runFailures well-formed calls whose execution gave an error result (unknown tool, bad
 *     arguments, a tool failure, an unreadable image)
 */
public record ToolCallStats(int attempted, int parseFailures, int runFailures) {
  public static final ToolCallStats NONE = new ToolCallStats(0, 0, 0);

  public ToolCallStats {
    if (attempted < 0
        || parseFailures < 0
        || runFailures < 0
        || parseFailures + runFailures > attempted) {
      throw new IllegalArgumentException(
          "inconsistent tool call counts: attempted "
              + attempted
              + ", parse failures "
              + parseFailures
              + ", run failures "
              + runFailures);
    }
  }

  /** Calls that parsed and ran without error. */
  public int succeeded() {
    return attempted - parseFailures - runFailures;
  }

  /** Calls that failed to parse or to run. */
  public int failed() {
    return parseFailures + runFailures;
  }

  /** The sum of two counts (a rollout's turns added up). */
  public ToolCallStats plus(ToolCallStats other) {
    return new ToolCallStats(
        attempted + other.attempted,
        parseFailures + other.parseFailures,
        runFailures + other.runFailures);
  }
}
