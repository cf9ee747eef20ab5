package ai.attune.models.opt;

import ai.attune.core.config.JsonConfig;
import ai.attune.models.HfConfigs;
import ai.attune.models.layers.Activations;
import java.util.List;

/**
 * The fields of an HF OPT {@code config.json} this implementation uses, validated.
 *
 * @param layerNormBefore pre-LN ({@code do_layer_norm_before: true}, all sizes but 350m) or post-LN
 * @param wordEmbedProjDim token embedding width; differs from hiddenSize in OPT-350m, which adds
 *     {@code project_in}/{@code project_out}
 */
public record OptConfig(
    int vocabSize,
    int hiddenSize,
    int wordEmbedProjDim,
    int numLayers,
    int numHeads,
    int ffnDim,
    int maxPositions,
    boolean layerNormBefore,
    boolean removeFinalLayerNorm,
    boolean layerNormAffine,
    boolean enableBias,
    Activations activation,
    boolean tieWordEmbeddings,
    int padTokenId,
    int bosTokenId,
    List<Integer> eosTokenIds) {

  /** OPT's learned positions are indexed from 2 (HF's offset). */
  public static final int POSITION_OFFSET = 2;

  public OptConfig {
    eosTokenIds = List.copyOf(eosTokenIds);
    if (hiddenSize % numHeads != 0) {
      throw new IllegalArgumentException(
          "hidden_size " + hiddenSize + " is not a multiple of num_attention_heads " + numHeads);
    }
  }

  public int headDim() {
    return hiddenSize / numHeads;
  }

  /** Whether the decoder ends with a LayerNorm (pre-LN models that keep it). */
  public boolean hasFinalLayerNorm() {
    return layerNormBefore && !removeFinalLayerNorm;
  }

  /** Reads and validates an OPT config. */
  public static OptConfig from(JsonConfig c) {
    int hidden = c.requirePositiveInt("hidden_size");
    return new OptConfig(
        c.requirePositiveInt("vocab_size"),
        hidden,
        c.optInt("word_embed_proj_dim", hidden),
        c.requirePositiveInt("num_hidden_layers"),
        c.requirePositiveInt("num_attention_heads"),
        c.requirePositiveInt("ffn_dim"),
        c.requirePositiveInt("max_position_embeddings"),
        c.optBoolean("do_layer_norm_before", true),
        c.optBoolean("_remove_final_layer_norm", false),
        c.optBoolean("layer_norm_elementwise_affine", true),
        c.optBoolean("enable_bias", true),
        Activations.fromHf(c.optString("activation_function", "relu"), c.source()),
        c.optBoolean("tie_word_embeddings", true),
        c.optInt("pad_token_id", 1),
        c.optInt("bos_token_id", 2),
        HfConfigs.eosTokenIds(c, List.of(2)));
  }
}
