package ai.attune.models.llama;

import ai.attune.core.config.ConfigException;
import ai.attune.core.config.JsonConfig;
import ai.attune.models.HfConfigs;
import ai.attune.models.layers.Activations;
import ai.attune.models.layers.RopeParameters;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The shape of a Llama-family decoder (Llama, Qwen2): pre-RMSNorm layers with rotary grouped-query
 * attention and a gated MLP. Each {@code model_type} has its own reader ({@link LlamaConfigReader},
 * {@code Qwen2ConfigReader}) that fills the fields its config writes differently (which projections
 * carry a bias); {@link #read} reads the rest.
 *
 * @param modelType the HF {@code model_type} the config came from
 * @param numKvHeads key/value heads; {@code numHeads / numKvHeads} query heads share each one
 * @param headDim per-head width; may differ from {@code hiddenSize / numHeads}
 * @param bosTokenId the begin-of-sequence id, or -1 when the config names none
 * @param padTokenId the pad id; the first end-of-sequence id (else 0) when the config names none
 */
public record LlamaConfig(
    String modelType,
    int vocabSize,
    int hiddenSize,
    int intermediateSize,
    int numLayers,
    int numHeads,
    int numKvHeads,
    int headDim,
    float rmsNormEps,
    Activations activation,
    Biases biases,
    RopeParameters rope,
    boolean tieWordEmbeddings,
    int padTokenId,
    int bosTokenId,
    List<Integer> eosTokenIds) {

  /**
   * Which linear layers carry a bias.
   *
   * @param qkv the query, key and value projections
   * @param output the attention output projection ({@code o_proj})
   * @param mlp the gate, up and down projections
   */
  public record Biases(boolean qkv, boolean output, boolean mlp) {}

  public LlamaConfig {
    eosTokenIds = List.copyOf(eosTokenIds);
    if (vocabSize <= 0
        || hiddenSize <= 0
        || intermediateSize <= 0
        || numLayers <= 0
        || numHeads <= 0
        || numKvHeads <= 0
        || headDim <= 0) {
      throw new IllegalArgumentException("sizes and head counts must be positive");
    }
    if (numHeads % numKvHeads != 0) {
      throw new IllegalArgumentException(
          "num_attention_heads "
              + numHeads
              + " is not a multiple of num_key_value_heads "
              + numKvHeads);
    }
    if (rope.dim() != headDim) {
      throw new IllegalArgumentException(
          "rotary dim " + rope.dim() + " differs from head_dim " + headDim);
    }
  }

  /** Query heads per key/value head. */
  public int groups() {
    return numHeads / numKvHeads;
  }

  /**
   * Reads the fields every Llama-family config writes alike, with the biases of the model type.
   *
   * @param defaultBos {@code bos_token_id} when absent (-1 for none)
   * @param defaultEos {@code eos_token_id} when absent
   */
  public static LlamaConfig read(
      JsonConfig c, String modelType, Biases biases, int defaultBos, List<Integer> defaultEos) {
    return read(c, modelType, biases, defaultBos, defaultEos, dim -> HfConfigs.rope(c, dim));
  }

  /**
   * As {@link #read(JsonConfig, String, Biases, int, List)}, with the rotary embedding read by the
   * caller (a model type whose rope fields HF writes its own way).
   *
   * @param rope the rotary embedding for a head dimension
   */
  public static LlamaConfig read(
      JsonConfig c,
      String modelType,
      Biases biases,
      int defaultBos,
      List<Integer> defaultEos,
      IntFunction<RopeParameters> rope) {
    int hidden = c.requirePositiveInt("hidden_size");
    int heads = c.requirePositiveInt("num_attention_heads");
    int kvHeads =
        c.has("num_key_value_heads") ? c.requirePositiveInt("num_key_value_heads") : heads;
    if (heads % kvHeads != 0) {
      throw ConfigException.forField(
          c.source(),
          "num_key_value_heads",
          kvHeads + " does not divide num_attention_heads " + heads);
    }
    int headDim = headDim(c, hidden, heads);
    List<Integer> eos = HfConfigs.eosTokenIds(c, defaultEos);
    return new LlamaConfig(
        modelType,
        c.requirePositiveInt("vocab_size"),
        hidden,
        c.requirePositiveInt("intermediate_size"),
        c.requirePositiveInt("num_hidden_layers"),
        heads,
        kvHeads,
        headDim,
        (float) c.optDouble("rms_norm_eps", 1e-6),
        Activations.fromHf(c.optString("hidden_act", "silu"), c.source()),
        biases,
        rope.apply(headDim),
        c.optBoolean("tie_word_embeddings", false),
        c.optInt("pad_token_id", eos.isEmpty() ? 0 : eos.get(0)),
        c.optInt("bos_token_id", defaultBos),
        eos);
  }

  private static int headDim(JsonConfig c, int hidden, int heads) {
    if (c.has("head_dim")) {
      int dim = c.requirePositiveInt("head_dim");
      if (dim % 2 != 0) {
        throw ConfigException.forField(
            c.source(), "head_dim", "must be even for rotary embeddings, got " + dim);
      }
      return dim;
    }
    if (hidden % heads != 0 || (hidden / heads) % 2 != 0) {
      throw ConfigException.forField(
          c.source(),
          "hidden_size",
          hidden
              + " / num_attention_heads "
              + heads
              + " is not an even head size (and no head_dim)");
    }
    return hidden / heads;
  }
}
