package ai.attune.models.opt;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.EngineConstants;
import ai.attune.core.params.ParameterStore;
import ai.attune.models.BaseModel;
import ai.attune.models.EmbeddingLookups;
import ai.attune.models.ModelInfo;
import ai.attune.models.SeparableHeadLM;
import ai.attune.models.layers.AttentionMask;
import ai.attune.models.layers.AttentionMasks;
import ai.attune.models.layers.DirectOps;
import ai.attune.models.layers.Embedding;
import ai.attune.models.layers.KvCache;
import ai.attune.models.layers.LayerNorm;
import ai.attune.models.layers.Linear;
import ai.attune.models.layers.Scopes;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OPT as HF's {@code OPTForCausalLM} defines it: learned positions (offset 2) computed from the
 * attention mask, so left and right padding both work; pre-LN and post-LN layers; the {@code
 * project_in}/{@code project_out} pair when {@code word_embed_proj_dim != hidden_size}; output head
 * tied to the token embeddings.
 *
 * <p>Parameters carry HF names ({@code model.decoder.layers.0.fc1.weight}); checkpoints saved from
 * the bare {@code OPTModel} ({@code decoder.*}) load through {@link #mapCheckpointName}.
 */
public final class OptForCausalLM extends BaseModel<OptConfig> implements SeparableHeadLM {
  private final Embedding tokens;
  private final Embedding positions;
  private final Linear projectIn;
  private final Linear projectOut;
  private final List<OptDecoderLayer> layers = new ArrayList<>();
  private final LayerNorm finalNorm;
  private final Linear lmHead;

  /** Declares every parameter (no values yet) in a store under {@code parent}. */
  public OptForCausalLM(OptConfig c, ComputeDtype dtype, NDManager parent) {
    super(c, dtype, new ParameterStore(parent));
    String p = "model.decoder.";
    int proj = c.wordEmbedProjDim();
    int h = c.hiddenSize();
    tokens = new Embedding(store, p + "embed_tokens", c.vocabSize(), proj);
    positions =
        new Embedding(
            store, p + "embed_positions", c.maxPositions() + OptConfig.POSITION_OFFSET, h);
    boolean projected = proj != h;
    projectIn = projected ? new Linear(store, p + "project_in", proj, h, false) : null;
    projectOut = projected ? new Linear(store, p + "project_out", h, proj, false) : null;
    for (int i = 0; i < c.numLayers(); i++) {
      layers.add(new OptDecoderLayer(store, c, i));
    }
    finalNorm =
        c.hasFinalLayerNorm()
            ? new LayerNorm(store, p + "final_layer_norm", h, 1e-5f, c.layerNormAffine())
            : null;
    if (c.tieWordEmbeddings()) {
      store.tie("lm_head.weight", tokens.weight().name());
      lmHead = new Linear("lm_head", tokens.weight());
    } else {
      lmHead = new Linear(store, "lm_head", proj, c.vocabSize(), false);
    }
  }

  /** HF name of the parameter a checkpoint tensor fills, accepting bare-{@code OPTModel} names. */
  public static Optional<String> mapCheckpointName(String name) {
    if (name.startsWith("model.decoder.") || name.equals("lm_head.weight")) {
      return Optional.of(name);
    }
    if (name.startsWith("decoder.")) {
      return Optional.of("model." + name);
    }
    return Optional.empty();
  }

  @Override
  public ModelInfo info() {
    return new ModelInfo(
        "opt",
        config.vocabSize(),
        config.numLayers(),
        config.hiddenSize(),
        config.eosTokenIds(),
        config.padTokenId(),
        config.bosTokenId());
  }

  @Override
  public long maxPositions() {
    return config.maxPositions();
  }

  @Override
  public NDArray embed(NDArray inputIds) {
    return tokens.forward(inputIds);
  }

  @Override
  public NDArray forwardEmbeddings(NDArray inputsEmbeds, NDArray attentionMask, KvCache cache) {
    return headLogits(forwardHidden(inputsEmbeds, attentionMask, cache));
  }

  @Override
  public NDArray forwardHidden(NDArray inputsEmbeds, NDArray attentionMask, KvCache cache) {
    long queries = inputsEmbeds.getShape().get(1);
    NDArray h = projectIn == null ? inputsEmbeds : projectIn.forward(inputsEmbeds);
    h = h.add(positions.forward(positionIds(attentionMask, queries)));
    AttentionMask mask = AttentionMasks.causal(attentionMask, queries);
    for (OptDecoderLayer layer : layers) {
      NDArray in = h;
      h = Scopes.keepOnly(() -> layer.forward(in, mask, cache));
    }
    if (finalNorm != null) {
      h = finalNorm.forward(h);
    }
    if (projectOut != null) {
      h = projectOut.forward(h);
    }
    return h;
  }

  @Override
  public NDArray headLogits(NDArray hidden) {
    NDArray logits = lmHead.forward(hidden);
    return logits.getDataType() == DataType.FLOAT32
        ? logits
        : logits.toType(DataType.FLOAT32, false);
  }

  @Override
  public Map<String, long[][]> embeddingRows(long[][] rowTokens) {
    return Map.of(
        tokens.name(), EmbeddingLookups.tokens(rowTokens),
        positions.name(), EmbeddingLookups.countedPositions(rowTokens, OptConfig.POSITION_OFFSET));
  }

  /**
   * HF's OPT positions: {@code cumsum(mask) * mask - 1 + 2} over the whole mask (so padding maps to
   * row 1), keeping the newest {@code queries} columns.
   */
  static NDArray positionIds(NDArray attentionMask, long queries) {
    NDArray mask = attentionMask.toType(DataType.INT64, false);
    // - 1 + offset as one exact int64 addition, against a shared constant
    NDArray shift =
        EngineConstants.of(mask.getManager(), OptConfig.POSITION_OFFSET - 1, DataType.INT64);
    NDArray pos = mask.cumSum(1).mul(mask).add(shift);
    long total = pos.getShape().get(1);
    return total == queries ? pos : DirectOps.slice(pos, 1, total - queries, total);
  }
}
