package ai.attune.iapo.tools;

import ai.attune.models.qwen2vl.ImageLoadException;
import ai.attune.models.qwen2vl.chat.FunctionTool;
import ai.attune.models.qwen2vl.chat.ToolCall;
import ai.attune.models.qwen2vl.chat.ToolCallParseError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tools a rollout may call, by name, and the one place calls are executed.
 *
 * <p>Lifecycle: register the tools once ({@link #register} checks each schema), render {@link
 * #definitions()} into the system turn, then {@link #execute} each well-formed call of a rollout
 * against that rollout's {@link ToolContext} and {@link #parseFailure report} each malformed one.
 * Both count the call in the context. {@link #execute} never throws for anything the model or the
 * data did: an unknown tool, arguments that break the schema, a tool that throws, an image that
 * cannot be read, all become an error {@link ToolResult} whose message the model sees next turn
 * (only fatal JVM errors such as {@link OutOfMemoryError} pass through). An image a tool returns is
 * added to the context, and its index is set in the result.
 *
 * <p>Registration is not thread-safe; once filled, a registry may execute calls from several
 * threads, each with its own context.
 */
public final class ToolRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(ToolRegistry.class);

  private final Map<String, Tool> tools = new LinkedHashMap<>();

  /** Adds a tool; its schema is checked now. Returns this registry. */
  public ToolRegistry register(Tool tool) {
    Objects.requireNonNull(tool, "tool");
    String name = tool.name();
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("tool name is blank: " + tool);
    }
    if (tools.containsKey(name)) {
      throw new IllegalArgumentException("a tool named '" + name + "' is already registered");
    }
    SchemaValidator.checkSchema(tool.parameters(), "tool '" + name + "'");
    tools.put(name, tool);
    return this;
  }

  /** The registered tools, in registration order. */
  public List<Tool> tools() {
    return List.copyOf(tools.values());
  }

  /** The names, in registration order. */
  public List<String> names() {
    return List.copyOf(tools.keySet());
  }

  /** The definitions for the chat template, in registration order. */
  public List<FunctionTool> definitions() {
    List<FunctionTool> out = new ArrayList<>(tools.size());
    for (Tool t : tools.values()) {
      out.add(t.definition());
    }
    return out;
  }

  /**
   * Runs one call; never throws for a bad call (see the class comment). The call is counted in
   * {@code ctx} as a success or a run failure.
   */
  public ToolResult execute(ToolCall call, ToolContext ctx) {
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(ctx, "ctx");
    ToolResult result = run(call, ctx);
    if (result.ok() && result.image() != null) {
      result = result.withImageIndex(ctx.addImage(result.image()));
    }
    ctx.recordRun(result.ok());
    return result;
  }

  /**
   * The error result for a malformed {@code <tool_call>} block; counts it in {@code ctx} as a parse
   * failure.
   */
  public ToolResult parseFailure(ToolCallParseError error, ToolContext ctx) {
    ctx.recordParseFailure();
    return ToolResult.error(error.message());
  }

  private ToolResult run(ToolCall call, ToolContext ctx) {
    Tool tool = tools.get(call.name());
    if (tool == null) {
      return ToolResult.error(
          "unknown tool '"
              + call.name()
              + "'; available tools: "
              + (tools.isEmpty() ? "none" : String.join(", ", tools.keySet())));
    }
    List<String> problems = SchemaValidator.validate(tool.parameters(), call.arguments());
    if (!problems.isEmpty()) {
      return ToolResult.error(
          "invalid arguments for '" + tool.name() + "': " + String.join("; ", problems));
    }
    try {
      ToolResult result = tool.execute(call.arguments(), ctx);
      return result != null
          ? result
          : ToolResult.error("tool '" + tool.name() + "' returned no result");
    } catch (ToolException e) {
      return ToolResult.error(tool.name() + ": " + e.getMessage());
    } catch (ImageLoadException e) {
      return ToolResult.error(tool.name() + ": cannot read the image: " + e.getMessage());
    } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
      LOG.debug("tool '{}' failed on {}", tool.name(), call.arguments(), e);
      return ToolResult.error(
          "tool '"
              + tool.name()
              + "' failed: "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
  }
}
