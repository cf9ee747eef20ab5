package ai.attune.models.qwen2vl;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.params.ParameterStore;
import ai.attune.models.HiddenStateLM;
import ai.attune.models.ModelInfo;
import ai.attune.models.layers.KvCache;
import ai.attune.models.layers.Tensors;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * A {@link Qwen25VlForConditionalGeneration} seen through one prompt batch with images: the merged
 * image tokens of the batch and the multimodal positions of its prompts, computed once.
 *
 * <p>{@link #embed} gives the text embeddings of ids with the image tokens in place of the {@code
 * <|image_pad|>} embeddings (ids without image tokens, such as generated tokens, embed as text), so
 * an attribution that differentiates with respect to the embeddings covers the image block at the
 * image-token positions. {@link #forwardEmbeddings} places sequence index {@code i} (cached
 * positions first) at the prompt's multimodal position while {@code i} lies in the prompt and at
 * {@code i + rope_delta} of its row after it, as HF does for the prefill and the decoding steps; a
 * one-row prompt serves a batch of any size (an attribution's interpolated inputs).
 *
 * <p>Lifecycle: made by {@code withImages} for one prompt batch; its image tokens belong to the
 * manager of the pixel values, so use the view within that manager's life. Closing the view frees
 * nothing (the parameters belong to the model).
 */
final class Qwen25VlImagePrompt implements HiddenStateLM {
  private final Qwen25VlForConditionalGeneration model;
  private final NDArray imageTokens;
  private final MropePositions positions;

  private Qwen25VlImagePrompt(
      Qwen25VlForConditionalGeneration model, NDArray imageTokens, MropePositions positions) {
    this.model = model;
    this.imageTokens = imageTokens;
    this.positions = positions;
  }

  static Qwen25VlImagePrompt of(
      Qwen25VlForConditionalGeneration model,
      NDArray inputIds,
      NDArray attentionMask,
      NDArray pixelValues,
      long[][] gridThw) {
    return continuation(
        model,
        inputIds,
        attentionMask,
        gridThw.length == 0 ? null : model.visionEmbeddings(pixelValues, gridThw),
        gridThw,
        0,
        new long[(int) inputIds.getShape().get(0)]);
  }

  /**
   * A view for a chunk appended at sequence index {@code origin} to cached sequences whose next
   * positions are {@code next} (see {@link MropePositions#continuation}); {@code imageTokens} the
   * chunk's merged image tokens in order, null when it holds no image.
   */
  static Qwen25VlImagePrompt continuation(
      Qwen25VlForConditionalGeneration model,
      NDArray inputIds,
      NDArray attentionMask,
      NDArray imageTokens,
      long[][] gridThw,
      long origin,
      long[] next) {
    Qwen25VlConfig c = model.config();
    long[][] ids = rows(inputIds);
    long[][] mask = rows(attentionMask);
    long merge = c.vision().mergeUnit();
    long features = 0;
    for (long[] g : gridThw) {
      features += g[0] * g[1] * g[2] / merge;
    }
    requireCount(count(ids, c.imageTokenId()), features);
    MropePositions pos = MropePositions.continuation(ids, mask, gridThw, origin, next, c);
    long given = imageTokens == null ? 0 : imageTokens.getShape().get(0);
    if (given != features) {
      throw new IllegalArgumentException(
          "the grids give " + features + " image tokens but " + given + " were passed");
    }
    return new Qwen25VlImagePrompt(model, imageTokens, pos);
  }

  /** As {@link #of} with the vision tower's output already computed for these images. */
  static Qwen25VlImagePrompt ofTokens(
      Qwen25VlForConditionalGeneration model,
      NDArray inputIds,
      NDArray attentionMask,
      NDArray imageTokens,
      long[][] gridThw) {
    Qwen25VlConfig c = model.config();
    long[][] ids = rows(inputIds);
    long features = 0;
    for (long[] g : gridThw) {
      features += g[0] * g[1] * g[2] / c.vision().mergeUnit();
    }
    requireCount(imageTokens.getShape().get(0), features);
    requireCount(count(ids, c.imageTokenId()), features);
    MropePositions pos = MropePositions.of(ids, rows(attentionMask), gridThw, c);
    return new Qwen25VlImagePrompt(model, imageTokens, pos);
  }

  /** The prompts' multimodal positions. */
  MropePositions positions() {
    return positions;
  }

  @Override
  public ModelInfo info() {
    return model.info();
  }

  @Override
  public ParameterStore parameters() {
    return model.parameters();
  }

  @Override
  public ComputeDtype dtype() {
    return model.dtype();
  }

  @Override
  public NDArray embed(NDArray inputIds) {
    long[] flat = inputIds.toType(DataType.INT64, false).toLongArray();
    int imageId = model.config().imageTokenId();
    long images = 0;
    for (long id : flat) {
      images += id == imageId ? 1 : 0;
    }
    NDArray text = model.embed(inputIds);
    if (images == 0) {
      return text;
    }
    long features = imageTokens == null ? 0 : imageTokens.getShape().get(0);
    requireCount(images, features);
    long[] rowOf = new long[flat.length]; // row of the table below for each token
    long next = flat.length;
    for (int p = 0; p < flat.length; p++) {
      rowOf[p] = flat[p] == imageId ? next++ : p;
    }
    Shape s = text.getShape();
    NDArray table =
        text.reshape(flat.length, s.get(2))
            .concat(Tensors.as(imageTokens, text.getDataType(), text.getManager()), 0);
    return table.get(text.getManager().create(rowOf)).reshape(s);
  }

  @Override
  public NDArray forwardEmbeddings(NDArray inputsEmbeds, NDArray attentionMask, KvCache cache) {
    long past = cache == null ? 0 : cache.length();
    Shape s = inputsEmbeds.getShape();
    long[][][] at = positions.window(past, (int) s.get(1), (int) s.get(0));
    return model.forwardAt(inputsEmbeds, attentionMask, cache, at);
  }

  @Override
  public NDArray forwardHidden(NDArray inputsEmbeds, NDArray attentionMask, KvCache cache) {
    long past = cache == null ? 0 : cache.length();
    Shape s = inputsEmbeds.getShape();
    long[][][] at = positions.window(past, (int) s.get(1), (int) s.get(0));
    return model.forwardHiddenAt(inputsEmbeds, attentionMask, cache, at);
  }

  @Override
  public NDArray headLogits(NDArray hidden) {
    return model.headLogits(hidden);
  }

  @Override
  public NDArray backwardRecomputing(
      NDArray inputsEmbeds,
      NDArray attentionMask,
      java.util.function.Function<NDArray, NDArray> lossOfHidden) {
    Shape s = inputsEmbeds.getShape();
    long[][][] at = positions.window(0, (int) s.get(1), (int) s.get(0));
    return model.backwardRecomputingAt(inputsEmbeds, attentionMask, at, lossOfHidden);
  }

  @Override
  public void close() {
    // the parameters belong to the model, the image tokens to the caller's manager
  }

  private static void requireCount(long imageTokens, long features) {
    if (imageTokens != features) {
      throw new IllegalArgumentException(
          "prompt has " + imageTokens + " image tokens but images give " + features + " features");
    }
  }

  private static long count(long[][] ids, int token) {
    long n = 0;
    for (long[] row : ids) {
      for (long id : row) {
        n += id == token ? 1 : 0;
      }
    }
    return n;
  }

  private static long[][] rows(NDArray a) {
    Shape s = a.getShape();
    if (s.dimension() != 2) {
      throw new IllegalArgumentException("expected [B, T] ids or mask, got " + s);
    }
    long[] flat = a.toType(DataType.INT64, false).toLongArray();
    int t = (int) s.get(1);
    long[][] out = new long[(int) s.get(0)][t];
    for (int b = 0; b < out.length; b++) {
      System.arraycopy(flat, b * t, out[b], 0, t);
    }
    return out;
  }
}
