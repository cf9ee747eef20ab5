package ai.attune.iapo.grpo;

import ai.attune.core.device.ComputeDtype;
import ai.attune.core.device.Engines;
import ai.attune.core.optim.AdamW;
import ai.attune.core.optim.DynamicLossScaler;
import ai.attune.iapo.grpo.ClippedSurrogate.ClipFractions;
import ai.attune.iapo.rollout.Rollout;
import ai.attune.iapo.rollout.Trajectory;
import ai.attune.iapo.train.NonFiniteLossException;
import ai.attune.models.HiddenStateLM;
import ai.attune.models.layers.Tensors;
import ai.attune.models.qwen2vl.Qwen25VlForConditionalGeneration;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Optional;

/**
 * GRPO's update on one batch of rollouts (iapo.md §2 steps 6–7): group-normalised advantages of the
 * shaped rewards, the teacher-forced log-probabilities of the current policy at each rollout's
 * policy tokens (with its images), the clipped surrogate (optionally with β·k3 to a frozen
 * reference), backward, and AdamW (which clips the gradient).
 *
 * <p>Memory: the batch runs as micro-batches of {@code microBatchSize} rollouts whose gradients
 * accumulate before the one optimizer step; each micro-batch's loss is its tokens' share of the
 * batch loss ({@link ai.attune.iapo.grpo.LossType#tokenWeight}), so the step equals one pass over
 * the whole batch. The output head, log-softmax and entropy run only at the policy tokens, {@code
 * headChunk} positions at a time ({@link PolicyTokens}). A float16 student trains with dynamic loss
 * scaling: an overflowing step is skipped (logged as {@code skipped}) and the scale backs off. The
 * largest bytes of live arrays after a micro-batch's forward pass are reported as {@code
 * peakLiveBytes} (arrays the engine's autograd holds without a Java handle are not seen).
 *
 * <p>The first of the {@code updatesPerBatch} updates compares the policy with itself (ratio 1
 * exactly, the on-policy case of TRL); later ones compare it with the log-probabilities the
 * rollouts were sampled with, so the ratio moves and clipping applies. The logged clip fractions
 * are therefore the mean over updates 2..μ when μ > 1 (with μ = 1 they come from the one update and
 * are 0 by construction). Everything runs in a sub-manager closed before {@link #apply} returns.
 * Uses the process-global gradient collector; gradients are zeroed first (attribution passes leave
 * theirs on the parameters).
 */
public final class PolicyUpdate {
  /** Policy-token positions whose logits exist at once: 512 × 152k float32 ≈ 311 MB. */
  public static final int HEAD_CHUNK = 512;

  private final Qwen25VlForConditionalGeneration student;
  private final Qwen25VlForConditionalGeneration reference;
  private final AdamW optimizer;
  private final GrpoLossConfig loss;
  private final int maxCompletionLength;
  private final int updatesPerBatch;
  private final long padId;
  private final int microBatchSize;
  private final int headChunk;
  private final boolean recompute;
  private final DynamicLossScaler scaler;

  /** What the update did, read back as Java values. */
  public record Result(
      double loss,
      double entropy,
      ClipFractions clip,
      double kl,
      double gradNorm,
      double rewardStd,
      double fracRewardZeroStd,
      double[] advantages,
      long peakLiveBytes,
      int skipped) {}

  /**
   * An update over micro-batches of {@code microBatchSize} rollouts (0 = the whole batch at once),
   * the head applied {@code headChunk} positions at a time; with {@code recompute} each
   * micro-batch's backward recomputes the decoder layer by layer ({@link
   * HiddenStateLM#backwardRecomputing}). {@code maxCompletionLength} is the most policy tokens a
   * rollout can have (max turns × max new tokens per turn), dr_grpo's constant.
   */
  public PolicyUpdate(
      Qwen25VlForConditionalGeneration student,
      Qwen25VlForConditionalGeneration reference,
      AdamW optimizer,
      GrpoLossConfig loss,
      int maxCompletionLength,
      int updatesPerBatch,
      long padId,
      int microBatchSize,
      int headChunk,
      boolean recompute) {
    if (maxCompletionLength < 1) {
      throw new IllegalArgumentException(
          "max completion length must be >= 1, got " + maxCompletionLength);
    }
    if (microBatchSize < 0 || headChunk < 1) {
      throw new IllegalArgumentException(
          "micro-batch size must be >= 0 and head chunk >= 1, got "
              + microBatchSize
              + " and "
              + headChunk);
    }
    this.student = student;
    this.reference = reference;
    this.optimizer = optimizer;
    this.loss = loss;
    this.maxCompletionLength = maxCompletionLength;
    this.updatesPerBatch = updatesPerBatch;
    this.padId = padId;
    this.microBatchSize = microBatchSize;
    this.headChunk = headChunk;
    this.recompute = recompute;
    this.scaler =
        student.dtype() == ComputeDtype.FLOAT16 ? DynamicLossScaler.pytorchDefaults() : null;
  }

  /**
   * Updates the student on {@code rollouts} (the G rollouts of each prompt adjacent) with their
   * shaped rewards.
   *
   * @throws NonFiniteLossException when the loss or the gradient norm of an update is not finite
   *     (without loss scaling), before that update changes the weights
   */
  public Result apply(
      long step, List<Rollout> rollouts, double[] shaped, int groupSize, NDManager parent) {
    return applyTrajectories(
        step, rollouts.stream().map(Rollout::trajectory).toList(), shaped, groupSize, parent);
  }

  public Result applyTrajectories(
      long step, List<Trajectory> rows, double[] shaped, int groupSize, NDManager parent) {
    try (NDManager s = parent.newSubManager()) {
      float[] r = new float[shaped.length];
      for (int i = 0; i < r.length; i++) {
        r[i] = (float) shaped[i];
      }
      GroupAdvantages.Result adv =
          GroupAdvantages.compute(
              s.create(r), groupSize, loss.scaleRewards(), loss.advantageEpsilon());
      float[] advantages = adv.advantages().toFloatArray();
      MicroBatches plan =
          MicroBatches.of(rows, microBatchSize, loss.lossType(), maxCompletionLength);
      float[][] ref = reference == null || loss.beta() == 0 ? null : referenceLogprobs(plan, s);
      Pass first = null;
      long laterLow = 0; // clipped tokens of updates 2..μ, where the ratio can move
      long laterHigh = 0;
      double norm = Double.NaN;
      int skipped = 0;
      long peak = 0;
      for (int u = 0; u < updatesPerBatch; u++) {
        optimizer.zeroGradients();
        Pass pass = new Pass(u == 0);
        for (int k = 0; k < plan.count(); k++) {
          pass.run(step, plan, k, advantages, ref == null ? null : ref[k], s);
        }
        peak = Math.max(peak, pass.peakLiveBytes);
        if (u == 0) {
          first = pass;
        } else {
          laterLow += pass.clipLow;
          laterHigh += pass.clipHigh;
        }
        Optional<AdamW.StepStats> st = optimizerStep(step);
        if (st.isEmpty()) {
          skipped++;
        } else {
          norm = st.get().gradNorm();
        }
      }
      double[] a = new double[advantages.length];
      for (int i = 0; i < a.length; i++) {
        a[i] = advantages[i];
      }
      long n = Math.max(1, plan.policyTokens());
      if (updatesPerBatch == 1) {
        laterLow = first.clipLow;
        laterHigh = first.clipHigh;
      }
      double d = (double) n * Math.max(1, updatesPerBatch - 1);
      ClipFractions clip =
          new ClipFractions(laterLow / d, laterHigh / d, (laterLow + laterHigh) / d);
      return new Result(
          first.loss,
          first.entropySum / n,
          clip,
          ref == null ? Double.NaN : first.klSum / n,
          norm,
          adv.rewardStd(),
          adv.fracRewardZeroStd(),
          a,
          peak,
          skipped);
    }
  }

  private Optional<AdamW.StepStats> optimizerStep(long step) {
    if (scaler != null) {
      return scaler.step(optimizer);
    }
    try {
      return Optional.of(optimizer.step());
    } catch (IllegalStateException e) {
      throw new NonFiniteLossException(step, e.getMessage(), e);
    }
  }

  /** The reference's log-probabilities at each micro-batch's policy tokens (no gradient). */
  private float[][] referenceLogprobs(MicroBatches plan, NDManager s) {
    float[][] out = new float[plan.count()][];
    for (int k = 0; k < plan.count(); k++) {
      try (NDManager m = s.newSubManager()) {
        PolicyTokens tokens = PolicyTokens.of(plan.rows(k), padId, m);
        out[k] =
            tokens.logprobs(tokens.batch.bind(reference), headChunk, false).logp().toFloatArray();
      }
    }
    return out;
  }

  /** One forward/backward over every micro-batch, its statistics pooled. */
  private final class Pass {
    final boolean onPolicy;
    double loss;
    double entropySum;
    double klSum;
    long clipLow;
    long clipHigh;
    long peakLiveBytes;

    Pass(boolean onPolicy) {
      this.onPolicy = onPolicy;
    }

    void run(long step, MicroBatches plan, int k, float[] advantages, float[] ref, NDManager s) {
      try (NDManager m = s.newSubManager()) {
        PolicyTokens tokens = PolicyTokens.of(plan.rows(k), padId, m);
        float[] adv = new float[tokens.count()];
        for (int i = 0; i < adv.length; i++) {
          adv[i] = advantages[plan.first(k) + tokens.row[i]];
        }
        float[] weights = plan.weights(k, tokens);
        if (!recompute) {
          try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
            HiddenStateLM bound = tokens.batch.bind(student);
            NDArray hidden = tokens.batch.hiddenStates(bound);
            gc.backward(scaledLoss(step, tokens, bound, hidden, adv, weights, ref, s));
          }
          return;
        }
        HiddenStateLM bound = tokens.batch.bind(student);
        NDArray embeds = bound.embed(tokens.batch.inputIds());
        NDArray g =
            bound.backwardRecomputing(
                embeds,
                tokens.batch.attentionMask(),
                hidden -> scaledLoss(step, tokens, bound, hidden, adv, weights, ref, s));
        try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
          HiddenStateLM again = tokens.batch.bind(student); // the vision tower, recorded
          NDArray e = again.embed(tokens.batch.inputIds()).toType(DataType.FLOAT32, false);
          gc.backward(e.mul(g.toType(DataType.FLOAT32, false)).sum());
        }
      }
    }

    /** The micro-batch's loss share (times the loss scale), its statistics pooled here. */
    private NDArray scaledLoss(
        long step,
        PolicyTokens tokens,
        HiddenStateLM bound,
        NDArray hidden,
        float[] adv,
        float[] weights,
        float[] ref,
        NDManager s) {
      NDManager m = hidden.getManager();
      PolicyTokens.Logprobs lp = tokens.logprobs(bound, hidden, headChunk, onPolicy);
      NDArray logp = lp.logp();
      NDArray old = onPolicy ? logp.stopGradient() : m.create(tokens.oldLogprobs);
      TokenLoss.Output out =
          TokenLoss.compute(
              logp,
              old,
              ref == null ? null : m.create(ref),
              m.create(adv),
              m.create(weights),
              PolicyUpdate.this.loss);
      double value = out.loss().getFloat();
      if (!Double.isFinite(value)) {
        throw new NonFiniteLossException(step, "the policy loss is " + value, null);
      }
      peakLiveBytes = Math.max(peakLiveBytes, LiveArrays.bytes(s));
      loss += value;
      entropySum += lp.entropySum();
      klSum += Double.isNaN(out.klSum()) ? 0 : out.klSum();
      clipLow += out.clipLow();
      clipHigh += out.clipHigh();
      return scaler == null ? out.loss() : Tensors.mulScalar(out.loss(), scaler.scale());
    }
  }
}
