package ai.attune.models.roberta;

import ai.attune.core.config.ConfigException;
import ai.attune.core.config.JsonConfig;
import ai.attune.models.HfConfigs;
import ai.attune.models.layers.Activations;
import java.util.List;

/**
 * The fields of an HF RoBERTa {@code config.json} this implementation uses, validated. Defaults are
 * HF's {@code RobertaConfig} defaults.
 *
 * @param maxPositions rows of the position table; positions start after {@code padTokenId}, so a
 *     sequence may hold {@code maxPositions - padTokenId - 1} tokens
 * @param typeVocabSize rows of the token-type table (row 0 is added to every token)
 * @param tieWordEmbeddings whether {@code lm_head.decoder} shares the word embeddings (HF default)
 */
public record RobertaConfig(
    int vocabSize,
    int hiddenSize,
    int numLayers,
    int numHeads,
    int intermediateSize,
    int maxPositions,
    int typeVocabSize,
    float layerNormEps,
    Activations activation,
    boolean tieWordEmbeddings,
    int padTokenId,
    int bosTokenId,
    List<Integer> eosTokenIds) {

  public RobertaConfig {
    eosTokenIds = List.copyOf(eosTokenIds);
    if (hiddenSize % numHeads != 0) {
      throw new IllegalArgumentException(
          "hidden_size " + hiddenSize + " is not a multiple of num_attention_heads " + numHeads);
    }
    if (typeVocabSize <= 0) {
      throw new IllegalArgumentException("type_vocab_size must be positive, got " + typeVocabSize);
    }
    if (padTokenId < 0 || padTokenId >= maxPositions - 1) {
      throw new IllegalArgumentException(
          "pad_token_id "
              + padTokenId
              + " must index a position row below max_position_embeddings - 1 ("
              + maxPositions
              + ")");
    }
  }

  public int headDim() {
    return hiddenSize / numHeads;
  }

  /** Reads and validates a RoBERTa config; refuses variants this implementation lacks. */
  public static RobertaConfig from(JsonConfig c) {
    String positions = c.optString("position_embedding_type", "absolute");
    if (!positions.equals("absolute")) {
      throw ConfigException.forField(
          c.source(),
          "position_embedding_type",
          "only 'absolute' is supported, got '" + positions + "'");
    }
    if (c.optBoolean("is_decoder", false)) {
      throw ConfigException.forField(
          c.source(),
          "is_decoder",
          "a RoBERTa decoder (causal attention) is not supported; expected false");
    }
    return new RobertaConfig(
        c.requirePositiveInt("vocab_size"),
        c.requirePositiveInt("hidden_size"),
        c.requirePositiveInt("num_hidden_layers"),
        c.requirePositiveInt("num_attention_heads"),
        c.requirePositiveInt("intermediate_size"),
        c.requirePositiveInt("max_position_embeddings"),
        c.optInt("type_vocab_size", 2),
        (float) c.optDouble("layer_norm_eps", 1e-12),
        Activations.fromHf(c.optString("hidden_act", "gelu"), c.source()),
        c.optBoolean("tie_word_embeddings", true),
        c.optInt("pad_token_id", 1),
        c.optInt("bos_token_id", 0),
        HfConfigs.eosTokenIds(c, List.of(2)));
  }
}
