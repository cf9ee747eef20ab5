package ai.attune.iapo.rollout;

import ai.attune.iapo.grpo.TokenMasks.TokenRole;
import ai.attune.models.CausalLM;
import ai.attune.models.HiddenStateLM;
import ai.attune.models.qwen2vl.ProcessedImage;
import ai.attune.models.qwen2vl.Qwen25VlForConditionalGeneration;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Trajectories as one left-padded teacher-forced batch, for the losses: row b's inputs are its ids
 * without the last one, its targets its ids without the first, so column j of a row predicts the
 * token after input j. Policy mask and old log-probabilities are aligned with the targets.
 *
 * <p>Every array belongs to the manager given to {@link #of} (a per-step manager); so do the
 * results of {@link #targetLogprobs}, which may run inside a {@code GradientCollector}.
 */
public final class TeacherForcedBatch {
  private final ImageBatch inputs;
  private final NDArray targets;
  private final NDArray policyMask;
  private final NDArray oldLogprobs;

  private TeacherForcedBatch(
      ImageBatch inputs, NDArray targets, NDArray policyMask, NDArray oldLogprobs) {
    this.inputs = inputs;
    this.targets = targets;
    this.policyMask = policyMask;
    this.oldLogprobs = oldLogprobs;
  }

  /**
   * Batches {@code rows} (each at least 2 tokens), padding with {@code padId}.
   *
   * @throws IllegalArgumentException when an image's pad run reaches the last token
   */
  public static TeacherForcedBatch of(List<Trajectory> rows, long padId, NDManager manager) {
    List<long[]> inputIds = new ArrayList<>();
    List<List<ProcessedImage>> images = new ArrayList<>();
    for (Trajectory t : rows) {
      int n = t.length() - 1;
      if (n < 1) {
        throw new IllegalArgumentException(
            "a trajectory needs at least 2 tokens, got " + t.length());
      }
      long[] in = new long[n];
      System.arraycopy(t.ids(), 0, in, 0, n);
      inputIds.add(in);
      List<ProcessedImage> imgs = new ArrayList<>();
      for (TrajectoryImage i : t.images()) {
        if (i.tokenEnd() > n) {
          throw new IllegalArgumentException(
              "an image ends at token " + i.tokenEnd() + ", past the inputs (" + n + " tokens)");
        }
        imgs.add(i.image());
      }
      images.add(imgs);
    }
    ImageBatch batch = ImageBatch.of(inputIds, images, padId, manager);
    int w = batch.width;
    long[] tg = new long[rows.size() * w];
    float[] mask = new float[rows.size() * w];
    float[] old = new float[rows.size() * w];
    for (int b = 0; b < rows.size(); b++) {
      Trajectory t = rows.get(b);
      int pad = batch.padding[b];
      for (int j = 0; j < w; j++) {
        int token = j - pad + 1; // the target token of column j
        boolean real = j >= pad;
        tg[b * w + j] = real ? t.ids()[token] : padId;
        mask[b * w + j] = real && t.roles()[token] == TokenRole.POLICY ? 1f : 0f;
        old[b * w + j] = real ? t.logprobs()[token] : 0f;
      }
    }
    Shape shape = new Shape(rows.size(), w);
    return new TeacherForcedBatch(
        batch, manager.create(tg, shape), manager.create(mask, shape), manager.create(old, shape));
  }

  /** int64 {@code [B, W]}: each row's ids but the last, left-padded. */
  public NDArray inputIds() {
    return inputs.ids;
  }

  /** int64 {@code [B, W]}. */
  public NDArray attentionMask() {
    return inputs.mask;
  }

  /** int64 {@code [B, W]}: the token each column predicts. */
  public NDArray targets() {
    return targets;
  }

  /** float32 {@code [B, W]}: 1 where the target is a policy token. */
  public NDArray policyMask() {
    return policyMask;
  }

  /** float32 {@code [B, W]}: the sampling policy's log-probability of each target (0 if none). */
  public NDArray oldLogprobs() {
    return oldLogprobs;
  }

  /** The padded width W. */
  public int width() {
    return inputs.width;
  }

  /** The column whose target is token {@code token} (>= 1) of row {@code row}. */
  public int column(int row, int token) {
    return inputs.padding[row] + token - 1;
  }

  /**
   * float32 {@code [B, W]}: {@code log_softmax(logits)} of each target under {@code model}, in one
   * forward pass over the batch with its images.
   */
  public NDArray targetLogprobs(Qwen25VlForConditionalGeneration model) {
    return targetLogprobs(logits(model));
  }

  /**
   * float32 {@code [B, W, V]}: the logits of one forward pass of {@code model} over the batch with
   * its images (for a loss that also needs the whole distribution, such as the entropy).
   */
  public NDArray logits(Qwen25VlForConditionalGeneration model) {
    CausalLM bound = inputs.bind(model);
    return bound.forward(inputs.ids, inputs.mask, null);
  }

  /** {@code model} bound to this batch's images, for {@link #hiddenStates}. */
  public HiddenStateLM bind(Qwen25VlForConditionalGeneration model) {
    return inputs.bindHidden(model);
  }

  /**
   * {@code [B, W, hidden]}: the final hidden states of one forward pass of {@code bound} (from
   * {@link #bind}) over the batch, without the output head (see {@link HiddenStateLM#headLogits}).
   */
  public NDArray hiddenStates(HiddenStateLM bound) {
    return bound.forwardHidden(bound.embed(inputs.ids), inputs.mask, null);
  }

  /** float32 {@code [B, W]}: {@code log_softmax(logits)} of each target. */
  public NDArray targetLogprobs(NDArray logits) {
    return logits.logSoftmax(-1).gather(targets.expandDims(2), 2).squeeze(2);
  }
}
