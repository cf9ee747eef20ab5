package ai.attune.models;

import ai.attune.core.config.ConfigException;
import ai.attune.core.config.JsonConfig;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reading conventions shared by every HF {@code config.json}. */
public final class HfConfigs {
  private HfConfigs() {}

  /** {@code eos_token_id}, which HF writes as an int, a list of ints, or null. */
  public static List<Integer> eosTokenIds(JsonConfig c, List<Integer> dflt) {
    JsonNode node = c.node().get("eos_token_id");
    if (node == null || node.isNull()) {
      return dflt;
    }
    List<Integer> ids = new ArrayList<>();
    if (node.isInt()) {
      ids.add(node.intValue());
    } else if (node.isArray()) {
      node.forEach(n -> ids.add(requireInt(c, n)));
    } else {
      throw ConfigException.forField(c.source(), "eos_token_id",
          "must be an int or a list of ints, got " + node);
    }
    return ids;
  }

  private static int requireInt(JsonConfig c, JsonNode n) {
    if (!n.isInt()) {
      throw ConfigException.forField(c.source(), "eos_token_id", "holds a non-integer: " + n);
    }
    return n.intValue();
  }
}
