package ai.attune.iapo.rollout;

import ai.attune.iapo.tools.Tool;
import ai.attune.iapo.tools.ToolContext;
import ai.attune.iapo.tools.ToolResult;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;

/** Tools that misbehave, for the error paths. */
final class TestTools {
  private TestTools() {}

  static ObjectNode noArguments() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("type", "object");
    o.putObject("properties");
    return o;
  }

  /** {@code explode}: always throws an IllegalStateException("boom"). */
  static final class Throwing implements Tool {
    @Override
    public String name() {
      return "explode";
    }

    @Override
    public String description() {
      return "Always fails.";
    }

    @Override
    public ObjectNode parameters() {
      return noArguments();
    }

    @Override
    public ToolResult execute(JsonNode arguments, ToolContext ctx) {
      throw new IllegalStateException("boom");
    }
  }

  /** {@code speck}: returns a 5x5 image, smaller than one 28-pixel patch block. */
  static final class Speck implements Tool {
    @Override
    public String name() {
      return "speck";
    }

    @Override
    public String description() {
      return "Returns a tiny image.";
    }

    @Override
    public ObjectNode parameters() {
      return noArguments();
    }

    @Override
    public ToolResult execute(JsonNode arguments, ToolContext ctx) {
      return ToolResult.image(new BufferedImage(5, 5, BufferedImage.TYPE_INT_RGB), "A speck.");
    }
  }
}
