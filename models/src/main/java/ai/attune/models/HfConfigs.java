package ai.attune.models;

import ai.attune.core.config.ConfigException;
import ai.attune.core.config.JsonConfig;
import ai.attune.models.layers.RopeParameters;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
      throw ConfigException.forField(
          c.source(), "eos_token_id", "must be an int or a list of ints, got " + node);
    }
    return ids;
  }

  private static int requireInt(JsonConfig c, JsonNode n) {
    if (!n.isInt()) {
      throw ConfigException.forField(c.source(), "eos_token_id", "holds a non-integer: " + n);
    }
    return n.intValue();
  }

  /** The rope base when a config names none (HF's default). */
  public static final double DEFAULT_ROPE_THETA = 10_000.0;

  /**
   * The rotary embedding of a decoder config, in either layout HF writes: transformers 5's {@code
   * rope_parameters} object (holding {@code rope_theta} and {@code rope_type}) or the older
   * top-level {@code rope_theta} with an optional {@code rope_scaling} object (whose type is {@code
   * rope_type} or, older still, {@code type}). Supported types: {@code default}, {@code linear} and
   * {@code llama3}; any other fails naming the field.
   *
   * @param dim the rotated width (the head dimension)
   */
  public static RopeParameters rope(JsonConfig c, int dim) {
    Optional<JsonConfig> params = c.optObject("rope_parameters");
    JsonConfig scaling = params.or(() -> c.optObject("rope_scaling")).orElse(null);
    double theta =
        params
            .filter(p -> p.has("rope_theta"))
            .map(p -> p.requirePositiveDouble("rope_theta"))
            .orElseGet(
                () ->
                    c.has("rope_theta")
                        ? c.requirePositiveDouble("rope_theta")
                        : DEFAULT_ROPE_THETA);
    if (scaling == null) {
      return RopeParameters.standard(theta, dim);
    }
    String typeField = scaling.has("rope_type") || !scaling.has("type") ? "rope_type" : "type";
    String type = scaling.optString(typeField, "default");
    try {
      switch (type) {
        case "default":
          return RopeParameters.standard(theta, dim);
        case "linear":
          return RopeParameters.linear(theta, dim, scaling.requirePositiveDouble("factor"));
        case "llama3":
          return RopeParameters.llama3(
              theta,
              dim,
              scaling.requirePositiveDouble("factor"),
              scaling.requirePositiveDouble("low_freq_factor"),
              scaling.requirePositiveDouble("high_freq_factor"),
              scaling.requirePositiveInt("original_max_position_embeddings"));
        default:
          throw ConfigException.forField(
              c.source(),
              scaling.path() + "." + typeField,
              "unsupported rope type '" + type + "' (supported: default, linear, llama3)");
      }
    } catch (IllegalArgumentException e) { // a RopeParameters check; ConfigException passes
      throw ConfigException.forField(c.source(), scaling.path(), e.getMessage());
    }
  }
}
