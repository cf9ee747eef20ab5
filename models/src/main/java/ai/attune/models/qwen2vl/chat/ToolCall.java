package ai.attune.models.qwen2vl.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One function call of an assistant turn: the function's name and its arguments object.
 *
 * @param arguments a JSON object (copied at construction; do not modify the accessor's result)
 */
public record ToolCall(String name, JsonNode arguments) {
  public ToolCall {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(arguments, "arguments");
    if (name.isBlank()) {
      throw new IllegalArgumentException("tool call name is blank");
    }
    if (!arguments.isObject()) {
      throw new IllegalArgumentException(
          "arguments of tool call '"
              + name
              + "' must be a JSON object, got "
              + arguments.getNodeType());
    }
    arguments = arguments.deepCopy();
  }

  /**
   * The call as Qwen's template writes it between the tags: {@code {"name": "crop", "arguments":
   * {...}}}, in Python {@code json.dumps} style.
   */
  public String toQwenJson() {
    return "{\"name\": \"" + name + "\", \"arguments\": " + PythonJson.dumps(arguments) + "}";
  }
}
