package ai.attune.iapo.train;

import ai.attune.core.device.Engines;
import ai.attune.iapo.grpo.ClippedSurrogate.ClipFractions;
import ai.attune.iapo.grpo.Entropy;
import ai.attune.iapo.grpo.GroupAdvantages;
import ai.attune.iapo.grpo.GrpoLoss;
import ai.attune.iapo.grpo.GrpoLossConfig;
import ai.attune.iapo.grpo.TokenMasks;
import ai.attune.iapo.optim.AdamW;
import ai.attune.iapo.rollout.Rollout;
import ai.attune.iapo.rollout.TeacherForcedBatch;
import ai.attune.models.qwen2vl.Qwen25VlForConditionalGeneration;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;

/**
 * GRPO's update on one batch of rollouts (iapo.md §2 steps 6–7): group-normalised advantages of
 * the shaped rewards, the teacher-forced log-probabilities of the current policy over each
 * rollout's token sequence (with its images), the clipped surrogate over policy tokens only
 * (optionally with β·k3 to a frozen reference), backward, and AdamW (which clips the gradient).
 *
 * <p>The first of the {@code updatesPerBatch} updates compares the policy with itself (ratio 1
 * exactly, the on-policy case of TRL); later ones compare it with the log-probabilities the
 * rollouts were sampled with, so the ratio moves and clipping applies. The logged clip
 * fractions are therefore the mean over updates 2..μ when μ > 1 (with μ = 1 they come from the
 * one update and are 0 by construction). Everything runs in a
 * sub-manager closed before {@link #apply} returns. Uses the process-global gradient collector;
 * gradients are zeroed first (attribution passes leave theirs on the parameters).
 */
final class PolicyUpdate {
  private final Qwen25VlForConditionalGeneration student;
  private final Qwen25VlForConditionalGeneration reference;
  private final AdamW optimizer;
  private final GrpoLossConfig loss;
  private final int updatesPerBatch;
  private final long padId;

  /** What the update did, read back as Java values. */
  record Result(double loss, double entropy, ClipFractions clip, double kl, double gradNorm,
      double rewardStd, double fracRewardZeroStd, double[] advantages) {}

  PolicyUpdate(Qwen25VlForConditionalGeneration student,
      Qwen25VlForConditionalGeneration reference, AdamW optimizer, GrpoLossConfig loss,
      int updatesPerBatch, long padId) {
    this.student = student;
    this.reference = reference;
    this.optimizer = optimizer;
    this.loss = loss;
    this.updatesPerBatch = updatesPerBatch;
    this.padId = padId;
  }

  /**
   * Updates the student on {@code rollouts} (the G rollouts of each prompt adjacent) with their
   * shaped rewards.
   *
   * @throws NonFiniteLossException when the loss or the gradient norm of an update is not
   *     finite, before that update changes the weights
   */
  Result apply(long step, List<Rollout> rollouts, double[] shaped, int groupSize,
      NDManager parent) {
    try (NDManager s = parent.newSubManager()) {
      float[] r = new float[shaped.length];
      for (int i = 0; i < r.length; i++) {
        r[i] = (float) shaped[i];
      }
      GroupAdvantages.Result adv = GroupAdvantages.compute(s.create(r), groupSize,
          loss.scaleRewards(), loss.advantageEpsilon());
      TeacherForcedBatch batch = TeacherForcedBatch.of(
          rollouts.stream().map(Rollout::trajectory).toList(), padId, s);
      NDArray ref = reference == null ? null : batch.targetLogprobs(reference);
      double first = Double.NaN;
      double entropy = Double.NaN;
      ClipFractions clip = null;
      double kl = Double.NaN;
      double norm = Double.NaN;
      for (int u = 0; u < updatesPerBatch; u++) {
        optimizer.zeroGradients();
        NDArray logits;
        GrpoLoss.Output out;
        try (GradientCollector gc = Engines.pytorch().newGradientCollector()) {
          logits = batch.logits(student);
          NDArray logp = batch.targetLogprobs(logits);
          NDArray old = u == 0 ? logp.stopGradient() : batch.oldLogprobs();
          out = GrpoLoss.compute(logp, old, ref, adv.advantages(), batch.policyMask(), loss);
          double value = out.loss().getFloat();
          if (!Double.isFinite(value)) {
            throw new NonFiniteLossException(step, "the policy loss is " + value, null);
          }
          gc.backward(out.loss());
          if (u == 0) {
            first = value;
            kl = out.kl();
          }
          if (u == 0 || u == 1) {
            clip = out.clip();
          } else {
            clip = sumOf(clip, out.clip());
          }
        }
        if (u == 0) {
          entropy = TokenMasks.maskedMean(Entropy.fromLogits(logits.stopGradient()),
              batch.policyMask());
        }
        try {
          norm = optimizer.step().gradNorm();
        } catch (IllegalStateException e) {
          throw new NonFiniteLossException(step, e.getMessage(), e);
        }
      }
      float[] a = adv.advantages().toFloatArray();
      double[] advantages = new double[a.length];
      for (int i = 0; i < a.length; i++) {
        advantages[i] = a[i];
      }
      return new Result(first, entropy, meanOfLater(clip, updatesPerBatch), kl, norm,
          adv.rewardStd(),
          adv.fracRewardZeroStd(), advantages);
    }
  }

  private static ClipFractions sumOf(ClipFractions a, ClipFractions b) {
    return new ClipFractions(a.low() + b.low(), a.high() + b.high(), a.region() + b.region());
  }

  /** The clip fractions summed over updates 2..μ, as their mean (μ = 1: update 1's). */
  private static ClipFractions meanOfLater(ClipFractions sum, int updates) {
    double n = Math.max(1, updates - 1);
    return new ClipFractions(sum.low() / n, sum.high() / n, sum.region() / n);
  }
}
