package ai.attune.models.roberta;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.params.ParamKind;
import ai.attune.core.params.Parameter;
import ai.attune.core.params.ParameterStore;
import ai.attune.models.BaseModel;
import ai.attune.models.EmbeddingLookups;
import ai.attune.models.ModelInfo;
import ai.attune.models.SeparableHeadMaskedLM;
import ai.attune.models.layers.Activations;
import ai.attune.models.layers.AttentionMask;
import ai.attune.models.layers.AttentionMasks;
import ai.attune.models.layers.Embedding;
import ai.attune.models.layers.LayerNorm;
import ai.attune.models.layers.Linear;
import ai.attune.models.layers.Scopes;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * RoBERTa as HF's {@code RobertaForMaskedLM} defines it: word, position and token-type (row 0)
 * embeddings summed and layer-normed, positions counted from the padding index over the ids
 * (padding tokens get the padding position), post-LN encoder layers with bidirectional attention
 * over unpadded keys, and the MLM head {@code dense → gelu → layer_norm → decoder + bias} whose
 * decoder shares the word embeddings.
 *
 * <p>Parameters carry HF names ({@code roberta.encoder.layer.0.attention.self.query.weight}, {@code
 * lm_head.bias}); {@link #mapCheckpointName} lists what a checkpoint may hold.
 */
public final class RobertaForMaskedLM extends BaseModel<RobertaConfig>
    implements SeparableHeadMaskedLM {
  private static final String EMB = "roberta.embeddings.";

  private final Embedding words;
  private final Embedding positions;
  private final Embedding tokenTypes;
  private final LayerNorm embeddingNorm;
  private final List<RobertaLayer> layers = new ArrayList<>();
  private final Linear headDense;
  private final LayerNorm headNorm;
  private final Linear decoder;
  private final Parameter decoderBias;

  /** Declares every parameter (no values yet) in a store under {@code parent}. */
  public RobertaForMaskedLM(RobertaConfig c, ComputeDtype dtype, NDManager parent) {
    super(c, dtype, new ParameterStore(parent));
    int h = c.hiddenSize();
    words = new Embedding(store, EMB + "word_embeddings", c.vocabSize(), h);
    positions = new Embedding(store, EMB + "position_embeddings", c.maxPositions(), h);
    tokenTypes = new Embedding(store, EMB + "token_type_embeddings", c.typeVocabSize(), h);
    embeddingNorm = new LayerNorm(store, EMB + "LayerNorm", h, c.layerNormEps(), true);
    for (int i = 0; i < c.numLayers(); i++) {
      layers.add(new RobertaLayer(store, c, i));
    }
    headDense = new Linear(store, "lm_head.dense", h, h, true);
    headNorm = new LayerNorm(store, "lm_head.layer_norm", h, c.layerNormEps(), true);
    if (c.tieWordEmbeddings()) {
      store.tie("lm_head.decoder.weight", words.weight().name());
      decoder = new Linear("lm_head.decoder", words.weight());
    } else {
      decoder = new Linear(store, "lm_head.decoder", h, c.vocabSize(), false);
    }
    decoderBias = store.declare("lm_head.bias", new Shape(c.vocabSize()), ParamKind.BIAS);
    store.tie("lm_head.decoder.bias", decoderBias.name());
  }

  /**
   * HF name of the parameter a checkpoint tensor fills. Everything under {@code
   * roberta.embeddings.}, {@code roberta.encoder.} and {@code lm_head.} keeps its name; {@code
   * lm_head.decoder.weight} and {@code lm_head.decoder.bias}, which older checkpoints save, are
   * tied names of the word embeddings and {@code lm_head.bias} (the loader checks their shape and
   * skips them). The {@code position_ids} and {@code token_type_ids} buffers and the pooler, which
   * masked-LM logits do not use, map to nothing.
   */
  public static Optional<String> mapCheckpointName(String name) {
    if (name.equals(EMB + "position_ids") || name.equals(EMB + "token_type_ids")) {
      return Optional.empty();
    }
    if (name.startsWith(EMB)
        || name.startsWith("roberta.encoder.")
        || name.startsWith("lm_head.")) {
      return Optional.of(name);
    }
    return Optional.empty();
  }

  @Override
  public ModelInfo info() {
    return new ModelInfo(
        "roberta",
        config.vocabSize(),
        config.numLayers(),
        config.hiddenSize(),
        config.eosTokenIds(),
        config.padTokenId(),
        config.bosTokenId());
  }

  @Override
  public long maxPositions() {
    return config.maxPositions() - config.padTokenId() - 1L;
  }

  @Override
  public NDArray embed(NDArray inputIds) {
    return words.forward(inputIds);
  }

  @Override
  public NDArray forwardEmbeddings(NDArray inputsEmbeds, NDArray inputIds, NDArray attentionMask) {
    return headLogits(forwardHidden(inputsEmbeds, inputIds, attentionMask));
  }

  @Override
  public NDArray forwardHidden(NDArray inputsEmbeds, NDArray inputIds, NDArray attentionMask) {
    checkShapes(inputsEmbeds, inputIds, attentionMask);
    NDArray h =
        inputsEmbeds
            .add(tokenTypes.forward(inputIds.zerosLike()))
            .add(positions.forward(positionIds(inputIds, config.padTokenId())));
    h = embeddingNorm.forward(h);
    AttentionMask mask = paddingMask(attentionMask);
    for (RobertaLayer layer : layers) {
      NDArray in = h;
      h = Scopes.keepOnly(() -> layer.forward(in, mask));
    }
    return h;
  }

  @Override
  public NDArray headLogits(NDArray hidden) {
    NDArray x = headNorm.forward(Activations.GELU.apply(headDense.forward(hidden)));
    NDArray logits = decoder.forward(x).add(decoderBias.value());
    return logits.getDataType() == DataType.FLOAT32
        ? logits
        : logits.toType(DataType.FLOAT32, false);
  }

  @Override
  public Map<String, long[][]> embeddingRows(long[][] rowTokens) {
    return Map.of(
        words.name(), EmbeddingLookups.tokens(rowTokens),
        positions.name(), EmbeddingLookups.countedPositions(rowTokens, config.padTokenId() + 1L),
        tokenTypes.name(), EmbeddingLookups.constant(rowTokens, 0));
  }

  /**
   * HF's {@code create_position_ids_from_input_ids}: with {@code real = ids != pad}, {@code
   * cumsum(real) * real + pad}, so tokens count from {@code pad + 1} and padding sits at {@code
   * pad}, wherever it is.
   */
  static NDArray positionIds(NDArray inputIds, int pad) {
    NDArray real = inputIds.neq(pad).toType(DataType.INT64, false);
    return real.cumSum(1).mul(real).add(pad);
  }

  /** Every query sees every unpadded key: {@code visible[b, 0, 0, j] = mask[b, j]}. */
  static AttentionMask paddingMask(NDArray attentionMask) {
    Shape s = attentionMask.getShape();
    return AttentionMasks.fromVisible(
        attentionMask.toType(DataType.FLOAT32, false).reshape(s.get(0), 1, 1, s.get(1)));
  }

  private void checkShapes(NDArray embeds, NDArray ids, NDArray mask) {
    Shape e = embeds.getShape();
    Shape bt = e.dimension() == 3 ? new Shape(e.get(0), e.get(1)) : null;
    if (bt == null || !ids.getShape().equals(bt) || !mask.getShape().equals(bt)) {
      throw new IllegalArgumentException(
          "expected inputs_embeds [B, T, D] with input_ids and"
              + " attention_mask [B, T]; got "
              + e
              + ", "
              + ids.getShape()
              + ", "
              + mask.getShape());
    }
    long longest = config.maxPositions() - config.padTokenId() - 1L;
    if (e.get(1) > longest) {
      throw new IllegalArgumentException(
          "sequence length "
              + e.get(1)
              + " exceeds the "
              + longest
              + " positions of this RoBERTa (max_position_embeddings "
              + config.maxPositions()
              + ", pad_token_id "
              + config.padTokenId()
              + ")");
    }
  }
}
