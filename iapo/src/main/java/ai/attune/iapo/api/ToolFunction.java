package ai.attune.iapo.api;

import ai.attune.iapo.tools.ToolContext;
import ai.attune.iapo.tools.ToolException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a tool of the user's does: from the call's arguments (already checked against the tool's
 * JSON schema) and the rollout's context (its images and named boxes) to the text the model reads
 * next turn. {@link JavaTool#of} makes a tool of it.
 *
 * <p>Lifecycle: a plain function, called for every call the model makes, possibly for several
 * rollouts of a batch; keep per-rollout state in the context, not in the function.
 */
@FunctionalInterface
public interface ToolFunction {

  /**
   * Runs one call.
   *
   * @return the text result shown to the model; never null
   * @throws ToolException for a problem the model caused and can fix (its message is shown to the
   *     model); any other exception also becomes an error result, counted as a failed call
   */
  String apply(JsonNode arguments, ToolContext context);
}
