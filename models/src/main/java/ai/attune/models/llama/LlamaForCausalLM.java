package ai.attune.models.llama;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.params.ParameterStore;
import ai.attune.models.BaseModel;
import ai.attune.models.EmbeddingLookups;
import ai.attune.models.HiddenStateLM;
import ai.attune.models.ModelInfo;
import ai.attune.models.layers.AttentionMask;
import ai.attune.models.layers.AttentionMasks;
import ai.attune.models.layers.Embedding;
import ai.attune.models.layers.KvCache;
import ai.attune.models.layers.Linear;
import ai.attune.models.layers.RmsNorm;
import ai.attune.models.layers.RotaryEmbedding;
import ai.attune.models.layers.Scopes;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Llama-family decoder as HF's {@code LlamaForCausalLM} and {@code Qwen2ForCausalLM} define it,
 * parameterised by a {@link LlamaConfig}: token embeddings, pre-RMSNorm layers with rotary
 * grouped-query attention and a gated MLP, a final RMSNorm and an output head, untied ({@code
 * lm_head.weight}) or tied to the embeddings.
 *
 * <p>Positions are those of HF's plain forward pass: {@code past + 0 .. past + T - 1} for every
 * row, whatever the padding (HF's {@code cache_position}). For the real tokens of a left-padded row
 * this gives the same attention scores as the positions HF's {@code generate} derives from the mask
 * ({@code cumsum(mask) - 1}): rotary scores depend only on position differences, and padding keys
 * are masked. Query positions that see no key (left padding) get zeros from attention.
 *
 * <p>Parameters carry HF names ({@code model.layers.0.mlp.up_proj.weight}); checkpoints saved from
 * the bare {@code LlamaModel} (names without {@code model.}) load through {@link
 * #mapCheckpointName}.
 */
public final class LlamaForCausalLM extends BaseModel<LlamaConfig> implements HiddenStateLM {
  private final Embedding tokens;
  private final RotaryEmbedding rotary;
  private final List<LlamaDecoderLayer> layers = new ArrayList<>();
  private final RmsNorm finalNorm;
  private final Linear lmHead;

  /** Declares every parameter (no values yet) in a store under {@code parent}. */
  public LlamaForCausalLM(LlamaConfig c, ComputeDtype dtype, NDManager parent) {
    this(c, dtype, new ParameterStore(parent));
  }

  /**
   * Declares every parameter (no values yet) in {@code store}, which may hold the parameters of a
   * larger model too (a vision tower's); closing this model closes the store.
   */
  public LlamaForCausalLM(LlamaConfig c, ComputeDtype dtype, ParameterStore store) {
    super(c, dtype, store);
    tokens = new Embedding(store, "model.embed_tokens", c.vocabSize(), c.hiddenSize());
    rotary = new RotaryEmbedding(c.rope());
    for (int i = 0; i < c.numLayers(); i++) {
      layers.add(new LlamaDecoderLayer(store, c, i));
    }
    finalNorm = new RmsNorm(store, "model.norm", c.hiddenSize(), c.rmsNormEps());
    if (c.tieWordEmbeddings()) {
      store.tie("lm_head.weight", tokens.weight().name());
      lmHead = new Linear("lm_head", tokens.weight());
    } else {
      lmHead = new Linear(store, "lm_head", c.hiddenSize(), c.vocabSize(), false);
    }
  }

  /** HF name of the parameter a checkpoint tensor fills, accepting bare-model names. */
  public static Optional<String> mapCheckpointName(String name) {
    if (name.startsWith("model.") || name.equals("lm_head.weight")) {
      return Optional.of(name);
    }
    if (name.startsWith("layers.")
        || name.startsWith("embed_tokens.")
        || name.startsWith("norm.")) {
      return Optional.of("model." + name);
    }
    return Optional.empty();
  }

  @Override
  public ModelInfo info() {
    return new ModelInfo(
        config.modelType(),
        config.vocabSize(),
        config.numLayers(),
        config.hiddenSize(),
        config.eosTokenIds(),
        config.padTokenId(),
        config.bosTokenId());
  }

  @Override
  public NDArray embed(NDArray inputIds) {
    return tokens.forward(inputIds);
  }

  @Override
  public Map<String, long[][]> embeddingRows(long[][] rowTokens) {
    return Map.of(tokens.name(), EmbeddingLookups.tokens(rowTokens));
  }

  @Override
  public NDArray forwardEmbeddings(NDArray inputsEmbeds, NDArray attentionMask, KvCache cache) {
    long queries = inputsEmbeds.getShape().get(1);
    long past = cache == null ? 0 : cache.length();
    NDArray[] cosSin = rotary.cosSin(inputsEmbeds.getManager(), past, queries);
    return forwardEmbeddings(inputsEmbeds, attentionMask, cache, cosSin);
  }

  /**
   * As {@link #forwardEmbeddings(NDArray, NDArray, KvCache)} with rotary tables the caller computed
   * for this pass's positions (Qwen2.5-VL's multimodal positions): float32 cos and sin, {@code [T,
   * headDim]} shared by every row or {@code [B, 1, T, headDim]} per row.
   */
  public NDArray forwardEmbeddings(
      NDArray inputsEmbeds, NDArray attentionMask, KvCache cache, NDArray[] cosSin) {
    return headLogits(forwardHidden(inputsEmbeds, attentionMask, cache, cosSin));
  }

  @Override
  public NDArray forwardHidden(NDArray inputsEmbeds, NDArray attentionMask, KvCache cache) {
    long queries = inputsEmbeds.getShape().get(1);
    long past = cache == null ? 0 : cache.length();
    NDArray[] cosSin = rotary.cosSin(inputsEmbeds.getManager(), past, queries);
    return forwardHidden(inputsEmbeds, attentionMask, cache, cosSin);
  }

  /**
   * As {@link #forwardHidden(NDArray, NDArray, KvCache)} with the caller's rotary tables (see
   * {@link #forwardEmbeddings(NDArray, NDArray, KvCache, NDArray[])}).
   */
  public NDArray forwardHidden(
      NDArray inputsEmbeds, NDArray attentionMask, KvCache cache, NDArray[] cosSin) {
    long queries = inputsEmbeds.getShape().get(1);
    long past = cache == null ? 0 : cache.length();
    if (attentionMask.getShape().get(1) != past + queries) {
      throw new IllegalArgumentException(
          "attention mask covers "
              + attentionMask.getShape().get(1)
              + " positions, expected cached "
              + past
              + " + new "
              + queries);
    }
    AttentionMask mask = AttentionMasks.causal(attentionMask, queries);
    NDArray h = inputsEmbeds;
    for (LlamaDecoderLayer layer : layers) {
      NDArray in = h;
      h = Scopes.keepOnly(() -> layer.forward(in, mask, cosSin, cache));
    }
    return finalNorm.forward(h);
  }

  @Override
  public NDArray backwardRecomputing(
      NDArray inputsEmbeds, NDArray attentionMask, Function<NDArray, NDArray> lossOfHidden) {
    long queries = inputsEmbeds.getShape().get(1);
    NDArray[] cosSin = rotary.cosSin(inputsEmbeds.getManager(), 0, queries);
    return backwardRecomputing(inputsEmbeds, attentionMask, cosSin, lossOfHidden);
  }

  /**
   * As {@link #backwardRecomputing(NDArray, NDArray, Function)} with the caller's rotary tables
   * (see {@link #forwardEmbeddings(NDArray, NDArray, KvCache, NDArray[])}).
   */
  public NDArray backwardRecomputing(
      NDArray inputsEmbeds,
      NDArray attentionMask,
      NDArray[] cosSin,
      Function<NDArray, NDArray> lossOfHidden) {
    AttentionMask mask = AttentionMasks.causal(attentionMask, inputsEmbeds.getShape().get(1));
    List<NDArray> inputs = new ArrayList<>();
    NDArray h = inputsEmbeds.stopGradient();
    for (LlamaDecoderLayer layer : layers) {
      inputs.add(h);
      NDArray in = h;
      h = Scopes.keepOnly(() -> layer.forward(in, mask, cosSin, null));
    }
    NDArray g = LayerGradient.of(h, x -> lossOfHidden.apply(finalNorm.forward(x)));
    h.close();
    for (int i = layers.size() - 1; i >= 0; i--) {
      LlamaDecoderLayer layer = layers.get(i);
      NDArray above = g;
      g =
          LayerGradient.of(
              inputs.get(i), x -> LayerGradient.dot(layer.forward(x, mask, cosSin, null), above));
      above.close();
      if (i > 0) {
        inputs.get(i).close();
      }
    }
    return g;
  }

  @Override
  public NDArray headLogits(NDArray hidden) {
    NDArray logits = lmHead.forward(hidden);
    return logits.getDataType() == DataType.FLOAT32
        ? logits
        : logits.toType(DataType.FLOAT32, false);
  }
}
