package ai.attune.iapo.tools;

import ai.attune.models.qwen2vl.chat.FunctionTool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A named function the model may call: its description and JSON-schema parameters are shown to the
 * model in the system turn ({@link #definition()}), and {@link #execute} runs a call.
 *
 * <p>Lifecycle: construct once, register in a {@link ToolRegistry}, then execute any number of
 * calls, possibly from several rollouts; implementations must therefore keep no per-call state
 * (per-rollout state lives in the {@link ToolContext}). The registry validates the arguments
 * against {@link #parameters()} before {@link #execute} sees them, so a tool may rely on required
 * fields being present with the declared types and ranges. A tool reports a problem the model
 * should fix (a box past the image, an unknown row name) by throwing {@link ToolException}; the
 * registry turns any exception into an error result.
 */
public interface Tool {

  /** The function name the model writes in its call ({@code crop}). */
  String name();

  /** One or two sentences telling the model what the tool does and when to use it. */
  String description();

  /**
   * The JSON schema of the arguments object, in the subset {@link SchemaValidator} supports.
   * Implementations return a fresh or unmodifiable copy each time.
   */
  ObjectNode parameters();

  /**
   * Runs one call.
   *
   * @param arguments the call's arguments object, already validated against {@link #parameters()}
   * @param ctx the rollout's images and named boxes
   * @return the result; never null
   * @throws ToolException for a problem the model caused and can fix; its message is shown to the
   *     model
   */
  ToolResult execute(JsonNode arguments, ToolContext ctx);

  /** The definition the chat template renders. */
  default FunctionTool definition() {
    return new FunctionTool(name(), description(), parameters());
  }
}
