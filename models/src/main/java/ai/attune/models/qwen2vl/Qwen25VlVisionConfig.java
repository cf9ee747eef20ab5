package ai.attune.models.qwen2vl;

import ai.attune.core.config.ConfigException;
import ai.attune.core.config.JsonConfig;
import ai.attune.models.HfConfigs;
import ai.attune.models.layers.Activations;
import java.util.Arrays;
import java.util.List;

/**
 * The shape of Qwen2.5-VL's vision tower ({@code vision_config}): a ViT over {@code patchSize x
 * patchSize x temporalPatchSize} patches with 2-D rotary attention inside windows of {@code
 * windowSize} pixels (full attention in {@code fullAttentionBlocks}), gated MLPs, and a merger of
 * {@code spatialMergeSize²} neighbouring patches into one token of {@code outHiddenSize} (the text
 * width).
 *
 * @param inChannels colour channels of a patch (3)
 * @param windowSize window side in pixels; a multiple of {@code patchSize * spatialMergeSize}
 * @param fullAttentionBlocks indexes of the blocks that attend over the whole image
 * @param tokensPerSecond temporal position step of a video frame (unused for images)
 * @param ropeTheta base of the 2-D rotary embedding
 */
public record Qwen25VlVisionConfig(
    int depth,
    int hiddenSize,
    int intermediateSize,
    int numHeads,
    int outHiddenSize,
    int patchSize,
    int temporalPatchSize,
    int spatialMergeSize,
    int inChannels,
    int windowSize,
    List<Integer> fullAttentionBlocks,
    int tokensPerSecond,
    Activations activation,
    double ropeTheta) {

  public Qwen25VlVisionConfig {
    fullAttentionBlocks = List.copyOf(fullAttentionBlocks);
    if (depth <= 0
        || hiddenSize <= 0
        || intermediateSize <= 0
        || numHeads <= 0
        || outHiddenSize <= 0
        || patchSize <= 0
        || temporalPatchSize <= 0
        || spatialMergeSize <= 0
        || inChannels <= 0
        || windowSize <= 0) {
      throw new IllegalArgumentException("vision sizes must be positive");
    }
    if (hiddenSize % numHeads != 0 || (hiddenSize / numHeads) % 4 != 0) {
      throw new IllegalArgumentException(
          "vision hidden_size "
              + hiddenSize
              + " / num_heads "
              + numHeads
              + " is not a head size divisible by 4 (2-D rotary halves)");
    }
    if (windowSize % (patchSize * spatialMergeSize) != 0) {
      throw new IllegalArgumentException(
          "window_size "
              + windowSize
              + " is not a multiple of patch_size * spatial_merge_size = "
              + patchSize * spatialMergeSize);
    }
    for (int b : fullAttentionBlocks) {
      if (b < 0 || b >= depth) {
        throw new IllegalArgumentException(
            "fullatt_block_indexes holds " + b + ", outside the " + depth + " blocks");
      }
    }
  }

  /** Per-head width. */
  public int headDim() {
    return hiddenSize / numHeads;
  }

  /** Values in one flattened patch: channels x temporal x patch x patch (1176 for 3x2x14x14). */
  public int patchValues() {
    return inChannels * temporalPatchSize * patchSize * patchSize;
  }

  /** Patches merged into one output token ({@code spatialMergeSize²}). */
  public int mergeUnit() {
    return spatialMergeSize * spatialMergeSize;
  }

  /** Window side in merged tokens. */
  public int windowTokens() {
    return windowSize / patchSize / spatialMergeSize;
  }

  /** Reads a {@code vision_config} object (both HF layouts write it alike). */
  public static Qwen25VlVisionConfig read(JsonConfig v) {
    double theta =
        v.optObject("rope_parameters")
            .filter(p -> p.has("rope_theta"))
            .map(p -> p.requirePositiveDouble("rope_theta"))
            .orElseGet(
                () ->
                    v.has("rope_theta")
                        ? v.requirePositiveDouble("rope_theta")
                        : HfConfigs.DEFAULT_ROPE_THETA);
    int inChannels =
        v.has("in_channels") ? v.requirePositiveInt("in_channels") : v.optInt("in_chans", 3);
    try {
      return new Qwen25VlVisionConfig(
          v.requirePositiveInt("depth"),
          v.requirePositiveInt("hidden_size"),
          v.requirePositiveInt("intermediate_size"),
          v.requirePositiveInt("num_heads"),
          v.requirePositiveInt("out_hidden_size"),
          v.optInt("patch_size", 14),
          v.optInt("temporal_patch_size", 2),
          v.optInt("spatial_merge_size", 2),
          inChannels,
          v.optInt("window_size", 112),
          v.has("fullatt_block_indexes")
              ? Arrays.stream(v.requireIntArray("fullatt_block_indexes")).boxed().toList()
              : List.of(),
          v.optInt("tokens_per_second", 2),
          Activations.fromHf(v.optString("hidden_act", "silu"), v.source()),
          theta);
    } catch (IllegalArgumentException e) { // a record check; ConfigException passes
      throw ConfigException.forField(v.source(), v.path(), e.getMessage());
    }
  }
}
