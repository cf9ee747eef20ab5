package ai.attune.iapo.attribution;

import ai.attune.iapo.attribution.AttributionConfig.ScoreSign;
import ai.attune.models.CausalLM;
import ai.attune.models.attribution.AttributionTarget;
import ai.attune.models.attribution.InputGradients;
import ai.attune.models.attribution.TokenRange;
import ai.attune.models.qwen2vl.ProcessedImage;
import ai.attune.models.qwen2vl.Qwen25VlForConditionalGeneration;
import ai.attune.models.qwen2vl.chat.BlockKind;
import ai.attune.models.qwen2vl.chat.RenderedPrompt.TokenSpan;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Attributes a rollout's target (the summed log-probability of its tool-call tokens, or of its
 * whole response) to the input blocks of its prompt (iapo.md §3): integrated gradients or
 * gradient×input with respect to the input embeddings, one score per token summed over the hidden
 * axis, summed per block and normalised to a {@link BlockDistribution}.
 *
 * <p>The sequence attributed is the ids up to the last target token: later tokens cannot change the
 * target of a causal model. Block spans are clipped to it; a block with no token left, or with only
 * empty spans, is absent from the result. Blocks of the same kind (two user turns, the text and the
 * image of one tool output) are summed into one.
 *
 * <p>Lifecycle: stateless apart from its config; each {@code attribute} call runs in its own
 * sub-manager of the caller's manager, closed before it returns, and gives Java values only, so
 * nothing outlives the call. Not thread-safe, not even across instances: DJL's gradient collector
 * is process-global, so one attribution runs at a time in a process. The backward pass zeroes and
 * then fills the gradient of every array that requires one (the model's parameters too, if a
 * trainer made them require gradients): run attributions before a policy-gradient backward, not
 * between it and the optimizer step.
 */
public final class BlockAttribution {
  private final AttributionConfig config;
  private final boolean recompute;

  public BlockAttribution(AttributionConfig config) {
    this(config, false);
  }

  /**
   * With {@code recompute}, each gradient pass recomputes the decoder layer by layer ({@link
   * ai.attune.models.HiddenStateLM#backwardRecomputing}) instead of keeping every layer's
   * activations; the scores are the same.
   */
  public BlockAttribution(AttributionConfig config, boolean recompute) {
    this.config = Objects.requireNonNull(config, "config");
    this.recompute = recompute;
  }

  public AttributionConfig config() {
    return config;
  }

  /**
   * Attributes {@code input}'s target ({@link AttributionConfig#target()}) for {@code model}. With
   * images the model must be a {@link Qwen25VlForConditionalGeneration}, bound here to the images
   * (its vision tower runs inside the call).
   */
  public AttributionResult attribute(CausalLM model, AttributionInput input, NDManager parent) {
    return run(
        model, input.ids(), input.blocks(), input.targets(config.target()), input.images(), parent);
  }

  /**
   * Attributes the summed log-probability of the tokens of {@code targets} for a model already
   * bound to its images (a plain decoder, or a {@code withImages} view whose image tokens belong to
   * a manager that outlives the call). The config's target kind is not used: the ranges are.
   */
  public AttributionResult attribute(
      CausalLM model,
      long[] ids,
      List<TokenSpan> blocks,
      List<TokenRange> targets,
      NDManager parent) {
    AttributionInput checked = new AttributionInput(ids, blocks, targets, targets, List.of());
    return run(model, checked.ids(), checked.blocks(), targets, List.of(), parent);
  }

  /**
   * Attributes each of {@code inputs} as {@link #attribute(CausalLM, AttributionInput, NDManager)}
   * does, running the vision tower once for every run of consecutive inputs with the same images
   * (the rollouts of one group share their prompt's) instead of once per input. The results are
   * those of attributing one input at a time.
   */
  public List<AttributionResult> attributeAll(
      CausalLM model, List<AttributionInput> inputs, NDManager parent) {
    List<AttributionResult> out = new ArrayList<>();
    int i = 0;
    while (i < inputs.size()) {
      List<ProcessedImage> images = inputs.get(i).images();
      int j = i + 1;
      while (j < inputs.size() && sameImages(images, inputs.get(j).images())) {
        j++;
      }
      try (NDManager group = parent.newSubManager()) {
        NDArray tokens = images.isEmpty() ? null : visionTokens(model, images, group);
        for (int k = i; k < j; k++) {
          AttributionInput in = inputs.get(k);
          out.add(
              run(
                  model,
                  in.ids(),
                  in.blocks(),
                  in.targets(config.target()),
                  images,
                  tokens,
                  group));
        }
      }
      i = j;
    }
    return out;
  }

  private AttributionResult run(
      CausalLM model,
      long[] ids,
      List<TokenSpan> blocks,
      List<TokenRange> targets,
      List<ProcessedImage> images,
      NDManager parent) {
    return run(model, ids, blocks, targets, images, null, parent);
  }

  private AttributionResult run(
      CausalLM model,
      long[] ids,
      List<TokenSpan> blocks,
      List<TokenRange> targets,
      List<ProcessedImage> images,
      NDArray imageTokens,
      NDManager parent) {
    int end = targets.stream().mapToInt(TokenRange::to).max().orElseThrow();
    long[] seq = Arrays.copyOf(ids, end);
    AttributionTarget target = AttributionTarget.tokenLogProb(seq, targets);
    float[] scores;
    float targetValue;
    try (NDManager step = parent.newSubManager()) {
      NDArray input = step.create(seq).reshape(1, end);
      NDArray mask = step.ones(new Shape(1, end), DataType.INT64);
      CausalLM view =
          images.isEmpty()
              ? model
              : imageTokens != null
                  ? ((Qwen25VlForConditionalGeneration) model)
                      .withVisionEmbeddings(input, mask, imageTokens, grids(images))
                  : bind(model, input, mask, images, step);
      NDArray embeds = view.embed(input);
      InputGradients.PathAttribution ig =
          InputGradients.integratedGradientsWithTarget(
              view,
              embeds,
              baseline(view, end, step),
              mask,
              target,
              config.steps(),
              config.stepsPerPass(),
              recompute);
      scores = ig.scores().toFloatArray();
      targetValue = ig.targetAtInput();
    }
    Map<BlockKind, Double> sums = blockSums(scores, blocks, config.scores());
    BlockDistribution distribution = BlockDistribution.of(sums, config.normalization());
    return new AttributionResult(scores, sums, distribution, targetValue);
  }

  /** Per kind, the sum of the (absolute or signed) scores of its tokens before {@code end}. */
  static Map<BlockKind, Double> blockSums(float[] scores, List<TokenSpan> blocks, ScoreSign sign) {
    Map<BlockKind, Double> sums = new EnumMap<>(BlockKind.class);
    for (TokenSpan b : blocks) {
      int to = Math.min(b.end(), scores.length);
      if (b.start() >= to) {
        continue;
      }
      double s = 0;
      for (int t = b.start(); t < to; t++) {
        s += sign == ScoreSign.ABSOLUTE ? Math.abs(scores[t]) : scores[t];
      }
      sums.merge(b.kind(), s, Double::sum);
    }
    return sums;
  }

  /** The baseline embeddings {@code [1, T, D]}, or null for zeros. */
  private NDArray baseline(CausalLM view, int length, NDManager step) {
    if (config.baseline().isZeros()) {
      return null;
    }
    long[] fill = new long[length];
    Arrays.fill(fill, config.baseline().resolveToken(view));
    return view.embed(step.create(fill).reshape(1, length));
  }

  private static CausalLM bind(
      CausalLM model, NDArray input, NDArray mask, List<ProcessedImage> images, NDManager step) {
    return vision(model, images).withImages(input, mask, pixels(images, step), grids(images));
  }

  /** The merged image tokens of {@code images} under {@code model}'s vision tower. */
  private static NDArray visionTokens(
      CausalLM model, List<ProcessedImage> images, NDManager group) {
    return vision(model, images).visionEmbeddings(pixels(images, group), grids(images));
  }

  private static Qwen25VlForConditionalGeneration vision(
      CausalLM model, List<ProcessedImage> images) {
    if (!(model instanceof Qwen25VlForConditionalGeneration vl)) {
      throw new IllegalArgumentException(
          "the rollout has "
              + images.size()
              + " image(s) but "
              + model.info().modelType()
              + " is not a vision-language model (Qwen2.5-VL)");
    }
    return vl;
  }

  private static NDArray pixels(List<ProcessedImage> images, NDManager m) {
    NDList pixels = new NDList();
    for (ProcessedImage image : images) {
      pixels.add(image.toNDArray(m));
    }
    return pixels.size() == 1 ? pixels.get(0) : NDArrays.concat(pixels, 0);
  }

  private static long[][] grids(List<ProcessedImage> images) {
    long[][] grids = new long[images.size()][];
    for (int i = 0; i < images.size(); i++) {
      grids[i] = images.get(i).gridThw().clone();
    }
    return grids;
  }

  /** Same images in the same order: the same objects, or equal grids and pixel values. */
  static boolean sameImages(List<ProcessedImage> a, List<ProcessedImage> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      ProcessedImage x = a.get(i);
      ProcessedImage y = b.get(i);
      if (x != y
          && !(Arrays.equals(x.gridThw(), y.gridThw())
              && Arrays.equals(x.pixelValues(), y.pixelValues()))) {
        return false;
      }
    }
    return true;
  }
}
