package ai.attune.models.qwen2vl;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.params.ParameterStore;
import ai.attune.models.BaseModel;
import ai.attune.models.CausalLM;
import ai.attune.models.HiddenStateLM;
import ai.attune.models.ModelInfo;
import ai.attune.models.layers.KvCache;
import ai.attune.models.llama.LlamaForCausalLM;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Optional;

/**
 * Qwen2.5-VL as HF's {@code Qwen2_5_VLForConditionalGeneration} defines it: a vision tower ({@code
 * visual.*}) whose merged image tokens replace the {@code <|image_pad|>} embeddings of the prompt,
 * and the Qwen2 text decoder ({@code model.*}, {@code lm_head}) under the multimodal rotary
 * embedding (M-RoPE) of {@link MropePositions}.
 *
 * <p>Lifecycle: built and loaded by {@code Models.load} (parameters in the model's own manager),
 * then used for any number of passes. As a plain {@link CausalLM} it is the text decoder with text
 * positions (M-RoPE with equal positions on the three axes is the plain rotary embedding). For a
 * prompt batch with images, {@link #withImages} runs the vision tower once and gives a view whose
 * {@code embed} scatters the image tokens in and whose passes use the prompt's multimodal positions
 * (generation and attribution go through it unchanged).
 *
 * <p>Parameters carry the names of the hub checkpoints ({@code visual.blocks.0.attn.qkv.weight},
 * {@code model.layers.0.mlp.up_proj.weight}); transformers-5 names ({@code model.visual.*}, {@code
 * model.language_model.*}) load through {@link #mapCheckpointName}.
 */
public final class Qwen25VlForConditionalGeneration extends BaseModel<Qwen25VlConfig>
    implements HiddenStateLM {
  private final Qwen25VlVisionTower visual;
  private final LlamaForCausalLM decoder;
  private final MropeRotaryEmbedding mrope;

  /** Declares every parameter (no values yet) in a store under {@code parent}. */
  public Qwen25VlForConditionalGeneration(Qwen25VlConfig c, ComputeDtype dtype, NDManager parent) {
    super(c, dtype, new ParameterStore(parent));
    this.visual = new Qwen25VlVisionTower(store, c.vision(), dtype);
    this.decoder = new LlamaForCausalLM(c.text(), dtype, store);
    this.mrope = new MropeRotaryEmbedding(c.text().rope(), c.mropeSection());
  }

  /**
   * The parameter a checkpoint tensor fills: hub names ({@code visual.*}, {@code model.*}, {@code
   * lm_head.weight}) as they are, transformers-5 names {@code model.visual.*} to {@code visual.*}
   * and {@code model.language_model.*} to {@code model.*}.
   */
  public static Optional<String> mapCheckpointName(String name) {
    if (name.startsWith("model.visual.")) {
      return Optional.of(name.substring("model.".length()));
    }
    if (name.startsWith("model.language_model.")) {
      return Optional.of("model." + name.substring("model.language_model.".length()));
    }
    if (name.startsWith("visual.") || name.startsWith("model.") || name.equals("lm_head.weight")) {
      return Optional.of(name);
    }
    return Optional.empty();
  }

  /** Parameters whose checkpoint tensor has another shape: the patch embedding's Conv3d. */
  public Map<String, Shape> checkpointShapes() {
    return Map.of(visual.patchEmbedWeightName(), visual.patchEmbedCheckpointShape());
  }

  @Override
  public ModelInfo info() {
    return decoder.info();
  }

  @Override
  public NDArray embed(NDArray inputIds) {
    return decoder.embed(inputIds);
  }

  /**
   * The language model's token table (image placeholders read their rows too, then are replaced).
   */
  @Override
  public Map<String, long[][]> embeddingRows(long[][] rowTokens) {
    return decoder.embeddingRows(rowTokens);
  }

  /** Text-only logits: the decoder with positions {@code past .. past + T - 1}. */
  @Override
  public NDArray forwardEmbeddings(NDArray inputsEmbeds, NDArray attentionMask, KvCache cache) {
    return decoder.forwardEmbeddings(inputsEmbeds, attentionMask, cache);
  }

  /** Text-only final hidden states, the positions of {@link #forwardEmbeddings}. */
  @Override
  public NDArray forwardHidden(NDArray inputsEmbeds, NDArray attentionMask, KvCache cache) {
    return decoder.forwardHidden(inputsEmbeds, attentionMask, cache);
  }

  @Override
  public NDArray headLogits(NDArray hidden) {
    return decoder.headLogits(hidden);
  }

  /** Text positions; see {@link HiddenStateLM#backwardRecomputing}. */
  @Override
  public NDArray backwardRecomputing(
      NDArray inputsEmbeds,
      NDArray attentionMask,
      java.util.function.Function<NDArray, NDArray> lossOfHidden) {
    return decoder.backwardRecomputing(inputsEmbeds, attentionMask, lossOfHidden);
  }

  /** {@link #backwardRecomputing} at the given multimodal positions {@code [3][B][T]}. */
  NDArray backwardRecomputingAt(
      NDArray inputsEmbeds,
      NDArray attentionMask,
      long[][][] positions,
      java.util.function.Function<NDArray, NDArray> lossOfHidden) {
    NDArray[] cosSin = mrope.cosSin(inputsEmbeds.getManager(), positions);
    return decoder.backwardRecomputing(inputsEmbeds, attentionMask, cosSin, lossOfHidden);
  }

  /**
   * The merged image tokens, {@code [Σ t·h·w / 4, hidden]} in the compute type, in the manager of
   * {@code pixelValues}.
   *
   * @param pixelValues {@code [Σ t·h·w, 3*2*14*14]} as the Qwen2-VL image processor writes them
   * @param gridThw temporal, height and width patches of each image
   */
  public NDArray visionEmbeddings(NDArray pixelValues, long[][] gridThw) {
    return visual.forward(pixelValues, gridThw);
  }

  /**
   * A view of this model for one prompt batch with images; see {@link Qwen25VlImagePrompt}. Runs
   * the vision tower now; the image tokens stay in the manager of {@code pixelValues}, which must
   * outlive the view.
   *
   * @param inputIds int64 {@code [B, T]}, left-padded, one run of {@code <|image_pad|>} per image
   *     (after a {@code <|vision_start|>})
   * @param attentionMask int64 {@code [B, T]}
   * @throws IllegalArgumentException "prompt has N image tokens but images give M features" when
   *     the counts differ
   */
  public CausalLM withImages(
      NDArray inputIds, NDArray attentionMask, NDArray pixelValues, long[][] gridThw) {
    return Qwen25VlImagePrompt.of(this, inputIds, attentionMask, pixelValues, gridThw);
  }

  /**
   * As {@link #withImages}, typed as a {@link HiddenStateLM} so that a loss can apply the output
   * head at the positions it needs only.
   */
  public HiddenStateLM bindImages(
      NDArray inputIds, NDArray attentionMask, NDArray pixelValues, long[][] gridThw) {
    return Qwen25VlImagePrompt.of(this, inputIds, attentionMask, pixelValues, gridThw);
  }

  /**
   * As {@link #bindImages} with the images' {@link #visionEmbeddings} computed once by the caller,
   * so that several prompts with the same images (a group's rollouts) run the vision tower once;
   * {@code imageTokens} must outlive the view.
   *
   * @throws IllegalArgumentException when the prompt's image tokens, the grids and the features do
   *     not agree in number
   */
  public HiddenStateLM withVisionEmbeddings(
      NDArray inputIds, NDArray attentionMask, NDArray imageTokens, long[][] gridThw) {
    return Qwen25VlImagePrompt.ofTokens(this, inputIds, attentionMask, imageTokens, gridThw);
  }

  /** Final hidden states for the given multimodal positions {@code [3][B][T]} of this pass. */
  NDArray forwardHiddenAt(
      NDArray inputsEmbeds, NDArray attentionMask, KvCache cache, long[][][] positions) {
    NDArray[] cosSin = mrope.cosSin(inputsEmbeds.getManager(), positions);
    return decoder.forwardHidden(inputsEmbeds, attentionMask, cache, cosSin);
  }

  /**
   * A view for one chunk of tokens appended to sequences whose earlier tokens are in a KV cache
   * (the next turn of multi-turn rollouts: tool outputs, their images, the next prompt), so that
   * nothing before the chunk is computed again. The chunk's columns are the cache's sequence
   * indexes from {@code origin} (the cache length when the chunk is fed); its image tokens (after a
   * {@code <|vision_start|>}) take the given merged image tokens ({@link #visionEmbeddings} of the
   * chunk's images, computed by the caller, who may compute an image shared by several rows once);
   * row b's positions continue from {@code nextPositions[b]} as M-RoPE places them in one pass over
   * the whole sequence. After the chunk, decoding steps at index {@code i} get position {@code i +
   * delta} as with {@link #withImages}. {@link #nextPositions} of the view gives each row's
   * position after the chunk.
   *
   * @param chunkIds int64 {@code [B, T]}, left-padded within the chunk
   * @param chunkMask {@code [B, T]}: 1 for the chunk's tokens, 0 for its padding
   * @param imageTokens the merged image tokens of the chunk's images in order, row after row
   *     ({@code [Σ t·h·w / 4, hidden]}, in a manager that outlives the view); null when it has none
   * @param gridThw the grids of those images
   */
  public CausalLM continueWith(
      NDArray chunkIds,
      NDArray chunkMask,
      NDArray imageTokens,
      long[][] gridThw,
      long origin,
      long[] nextPositions) {
    return Qwen25VlImagePrompt.continuation(
        this, chunkIds, chunkMask, imageTokens, gridThw, origin, nextPositions);
  }

  /**
   * Per row, the position after the largest one of the prompt or chunk of {@code view} (made by
   * {@link #withImages} or {@link #continueWith}): the position of the first token after it.
   */
  public static long[] nextPositions(CausalLM view) {
    if (!(view instanceof Qwen25VlImagePrompt p)) {
      throw new IllegalArgumentException("not a Qwen2.5-VL prompt view: " + view);
    }
    return p.positions().nextPositions();
  }

  /** Logits for the given multimodal positions {@code [3][B][T]} of this pass. */
  NDArray forwardAt(
      NDArray inputsEmbeds, NDArray attentionMask, KvCache cache, long[][][] positions) {
    NDArray[] cosSin = mrope.cosSin(inputsEmbeds.getManager(), positions);
    return decoder.forwardEmbeddings(inputsEmbeds, attentionMask, cache, cosSin);
  }
}
