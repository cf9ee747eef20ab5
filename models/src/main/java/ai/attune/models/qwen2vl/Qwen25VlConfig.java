package ai.attune.models.qwen2vl;

import ai.attune.core.config.ConfigException;
import ai.attune.core.config.JsonConfig;
import ai.attune.models.HfConfigs;
import ai.attune.models.layers.RopeParameters;
import ai.attune.models.llama.LlamaConfig;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An HF {@code model_type: qwen2_5_vl} config: a Qwen2 text decoder whose rotary embedding is split
 * into temporal, height and width sections ({@code mrope_section}), a vision tower, and the special
 * token ids that place images in a prompt.
 *
 * <p>{@link #read} accepts both layouts HF writes: transformers 5's ({@code text_config}, {@code
 * vision_config}, {@code rope_parameters} holding {@code mrope_section}) and the flat one of the
 * hub checkpoints (text fields at the top level, {@code rope_theta} and {@code rope_scaling:
 * {"type": "mrope", "mrope_section": [...]}}). Text fields that the transformers-5 layout writes
 * only at the top level (the tied head, token ids) are inherited.
 *
 * @param text the decoder, read as a Qwen2 decoder (q/k/v biases) with default rope frequencies
 * @param mropeSection frequencies per axis (temporal, height, width); they sum to headDim / 2
 * @param videoTokenId {@code <|video_pad|>}; videos are refused, but the id must be known
 */
public record Qwen25VlConfig(
    LlamaConfig text,
    List<Integer> mropeSection,
    Qwen25VlVisionConfig vision,
    int imageTokenId,
    int videoTokenId,
    int visionStartTokenId,
    int visionEndTokenId) {

  /** Text fields a transformers-5 {@code text_config} may leave to the top level. */
  private static final List<String> INHERITED =
      List.of(
          "tie_word_embeddings",
          "bos_token_id",
          "eos_token_id",
          "pad_token_id",
          "rope_theta",
          "rope_scaling",
          "rope_parameters");

  public Qwen25VlConfig {
    mropeSection = List.copyOf(mropeSection);
    if (mropeSection.size() != 3 || mropeSection.stream().anyMatch(s -> s <= 0)) {
      throw new IllegalArgumentException(
          "mrope_section must hold three positive sizes, got " + mropeSection);
    }
    int sum = mropeSection.stream().mapToInt(Integer::intValue).sum();
    if (sum * 2 != text.headDim()) {
      throw new IllegalArgumentException(
          "mrope_section "
              + mropeSection
              + " sums to "
              + sum
              + ", not head_dim / 2 = "
              + text.headDim() / 2);
    }
    if (vision.outHiddenSize() != text.hiddenSize()) {
      throw new IllegalArgumentException(
          "vision out_hidden_size "
              + vision.outHiddenSize()
              + " differs from the text hidden_size "
              + text.hiddenSize());
    }
  }

  /** Reads either layout; see the class comment. */
  public static Qwen25VlConfig read(JsonConfig c) {
    JsonConfig text = textSection(c);
    if (text.optBoolean("use_sliding_window", false)) {
      throw ConfigException.forField(
          text.source(),
          "use_sliding_window",
          "sliding-window attention is not supported (only full attention)");
    }
    JsonConfig rope = ropeObject(text);
    List<Integer> section = Arrays.stream(rope.requireIntArray("mrope_section")).boxed().toList();
    LlamaConfig decoder =
        LlamaConfig.read(
            text,
            "qwen2_5_vl",
            new LlamaConfig.Biases(true, false, false),
            -1,
            List.of(),
            dim -> RopeParameters.standard(ropeTheta(text, rope), dim));
    Qwen25VlVisionConfig vision = Qwen25VlVisionConfig.read(c.requireObject("vision_config"));
    try {
      return new Qwen25VlConfig(
          decoder,
          section,
          vision,
          tokenId(c, text, "image_token_id", -1),
          tokenId(c, text, "video_token_id", 151656),
          tokenId(c, text, "vision_start_token_id", -1),
          tokenId(c, text, "vision_end_token_id", 151653));
    } catch (IllegalArgumentException e) { // a record check; ConfigException passes
      throw ConfigException.forSource(c.source(), e.getMessage(), e);
    }
  }

  /** {@code text_config} with the inherited top-level fields, or the top level itself. */
  private static JsonConfig textSection(JsonConfig c) {
    Optional<JsonConfig> nested = c.optObject("text_config");
    if (nested.isEmpty()) {
      return c;
    }
    ObjectNode node = nested.get().node();
    ObjectNode top = c.node();
    for (String field : INHERITED) {
      if (!nested.get().has(field) && c.has(field)) {
        node.set(field, top.get(field));
      }
    }
    return JsonConfig.of(node, c.source() + " (text_config)");
  }

  /** The object holding {@code mrope_section}: {@code rope_parameters} or {@code rope_scaling}. */
  private static JsonConfig ropeObject(JsonConfig text) {
    for (String field : List.of("rope_parameters", "rope_scaling")) {
      Optional<JsonConfig> o = text.optObject(field);
      if (o.isPresent() && o.get().has("mrope_section")) {
        String type = o.get().optString("rope_type", "default");
        if (!type.equals("default") && !type.equals("mrope")) {
          throw ConfigException.forField(
              text.source(),
              field + ".rope_type",
              "unsupported rope"
                  + " type '"
                  + type
                  + "' (supported: default frequencies with mrope_section)");
        }
        return o.get();
      }
    }
    throw ConfigException.forField(
        text.source(), "rope_parameters", "no mrope_section in rope_parameters or rope_scaling");
  }

  private static double ropeTheta(JsonConfig text, JsonConfig rope) {
    if (rope.has("rope_theta")) {
      return rope.requirePositiveDouble("rope_theta");
    }
    return text.has("rope_theta")
        ? text.requirePositiveDouble("rope_theta")
        : HfConfigs.DEFAULT_ROPE_THETA;
  }

  private static int tokenId(JsonConfig top, JsonConfig text, String field, int dflt) {
    JsonConfig from = top.has(field) || !text.has(field) ? top : text;
    if (dflt < 0 || from.has(field)) {
      int id = from.requireInt(field);
      if (id < 0) {
        throw ConfigException.forField(from.source(), field, "must not be negative, got " + id);
      }
      return id;
    }
    return dflt;
  }
}
