package ai.attune.models.qwen2vl.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A function tool's definition: name, description and a JSON-schema {@code parameters} object.
 *
 * @param parameters JSON schema of the arguments object (copied; do not modify the result)
 */
public record FunctionTool(String name, String description, JsonNode parameters) {
  public FunctionTool {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    if (name.isBlank()) {
      throw new IllegalArgumentException("tool name is blank");
    }
    if (parameters == null || !parameters.isObject()) {
      throw new IllegalArgumentException(
          "parameters of tool '" + name + "' must be a JSON-schema object");
    }
    parameters = parameters.deepCopy();
  }

  /**
   * The OpenAI/HF form the chat template renders: {@code {"type": "function", "function": {"name",
   * "description", "parameters"}}}, keys in that order.
   */
  public ObjectNode toJson() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("type", "function");
    ObjectNode fn = root.putObject("function");
    fn.put("name", name);
    fn.put("description", description);
    fn.set("parameters", parameters.deepCopy());
    return root;
  }
}
