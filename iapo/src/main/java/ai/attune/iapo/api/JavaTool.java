package ai.attune.iapo.api;

import ai.attune.core.config.Mappers;
import ai.attune.iapo.tools.Tool;
import ai.attune.iapo.tools.ToolContext;
import ai.attune.iapo.tools.ToolResult;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A {@link Tool} made of a name, a description, a JSON schema of its arguments and a {@link
 * ToolFunction}: the way to give an IAPO run a tool of one's own. Immutable; the registry checks
 * the schema when the run is built and validates each call's arguments against it.
 */
public final class JavaTool implements Tool {
  private final String name;
  private final String description;
  private final ObjectNode parameters;
  private final ToolFunction function;

  private JavaTool(String name, String description, ObjectNode parameters, ToolFunction function) {
    this.name = name;
    this.description = description;
    this.parameters = parameters;
    this.function = function;
  }

  /**
   * A tool.
   *
   * @param name the function name the model writes in its call
   * @param description what the tool does, for the model (rendered into the system turn when the
   *     run offers tool definitions)
   * @param parametersSchema the JSON schema of the arguments object, e.g. {@code {"type": "object",
   *     "properties": {}}}
   * @param function what a call does
   * @throws IllegalArgumentException when the schema is not a JSON object
   */
  public static JavaTool of(
      String name, String description, String parametersSchema, ToolFunction function) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(function, "function");
    JsonNode schema;
    try {
      schema = Mappers.json().readTree(parametersSchema);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "tool '" + name + "': the parameters schema is not JSON: " + e.getOriginalMessage(), e);
    }
    if (schema == null || !schema.isObject()) {
      throw new IllegalArgumentException(
          "tool '" + name + "': the parameters schema must be a JSON object, got " + schema);
    }
    return new JavaTool(name, description, (ObjectNode) schema, function);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public ObjectNode parameters() {
    return parameters.deepCopy();
  }

  @Override
  public ToolResult execute(JsonNode arguments, ToolContext ctx) {
    String text = function.apply(arguments, ctx);
    return text == null
        ? ToolResult.error("tool '" + name + "' returned no text")
        : ToolResult.text(text);
  }

  @Override
  public String toString() {
    return "JavaTool[" + name + "]";
  }
}
