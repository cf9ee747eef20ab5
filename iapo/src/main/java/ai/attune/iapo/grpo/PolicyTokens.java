package ai.attune.iapo.grpo;

import ai.attune.iapo.grpo.TokenMasks.TokenRole;
import ai.attune.iapo.rollout.TeacherForcedBatch;
import ai.attune.iapo.rollout.Trajectory;
import ai.attune.models.HiddenStateLM;
import ai.attune.models.layers.Tensors;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The policy tokens of one micro-batch of trajectories, the only positions GRPO's loss needs: where
 * each sits in the teacher-forced batch (flat index {@code row · W + column} of the position that
 * predicts it), its id, its sampling log-probability and its row. {@link #logprobs} applies the
 * output head there only, in chunks, so no {@code [B, W, vocab]} array exists: per chunk {@code
 * [chunk, vocab]} logits and their log-softmax.
 *
 * <p>Arrays belong to the manager given to {@link #of} (a per-micro-batch manager).
 */
final class PolicyTokens {
  final TeacherForcedBatch batch;
  final long[] flat;
  final long[] targets;
  final float[] oldLogprobs;
  final int[] row;

  private PolicyTokens(
      TeacherForcedBatch batch, long[] flat, long[] targets, float[] oldLogprobs, int[] row) {
    this.batch = batch;
    this.flat = flat;
    this.targets = targets;
    this.oldLogprobs = oldLogprobs;
    this.row = row;
  }

  static PolicyTokens of(List<Trajectory> rows, long padId, NDManager manager) {
    TeacherForcedBatch batch = TeacherForcedBatch.of(rows, padId, manager);
    int n = 0;
    for (Trajectory t : rows) {
      n += policyTargets(t);
    }
    long[] flat = new long[n];
    long[] targets = new long[n];
    float[] old = new float[n];
    int[] row = new int[n];
    int at = 0;
    for (int b = 0; b < rows.size(); b++) {
      Trajectory t = rows.get(b);
      for (int token = 1; token < t.length(); token++) {
        if (t.roles()[token] == TokenRole.POLICY) {
          flat[at] = (long) b * batch.width() + batch.column(b, token);
          targets[at] = t.ids()[token];
          old[at] = t.logprobs()[token];
          row[at] = b;
          at++;
        }
      }
    }
    return new PolicyTokens(batch, flat, targets, old, row);
  }

  /** Policy tokens a trajectory contributes (its first token predicts nothing). */
  static int policyTargets(Trajectory t) {
    int n = 0;
    for (int token = 1; token < t.length(); token++) {
      n += t.roles()[token] == TokenRole.POLICY ? 1 : 0;
    }
    return n;
  }

  int count() {
    return flat.length;
  }

  /** Log-probabilities at the policy tokens and, on request, the sum of their entropies. */
  record Logprobs(NDArray logp, double entropySum) {}

  /**
   * float32 {@code [N]}: the log-probability of each policy token under {@code bound} (from {@link
   * TeacherForcedBatch#bind}), one forward pass, the head applied {@code chunk} positions at a
   * time. Each chunk's temporaries are closed as soon as its result exists (what autograd saved for
   * the backward pass stays alive in the engine).
   */
  Logprobs logprobs(HiddenStateLM bound, int chunk, boolean entropy) {
    return logprobs(bound, batch.hiddenStates(bound), chunk, entropy);
  }

  /** As {@link #logprobs(HiddenStateLM, int, boolean)} from the batch's hidden states. */
  Logprobs logprobs(HiddenStateLM bound, NDArray hidden, int chunk, boolean entropy) {
    Shape s = hidden.getShape();
    NDManager m = hidden.getManager();
    NDArray rows = hidden.reshape(s.get(0) * s.get(1), s.get(2));
    List<NDArray> parts = new ArrayList<>();
    double entropySum = 0;
    for (int from = 0; from < flat.length; from += chunk) {
      int to = Math.min(flat.length, from + chunk);
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDArray at = Tensors.engineOwned(m.create(java.util.Arrays.copyOfRange(flat, from, to)));
        NDArray tg =
            Tensors.engineOwned(
                m.create(java.util.Arrays.copyOfRange(targets, from, to)).expandDims(1));
        NDArray logits = bound.headLogits(rows.get(at));
        NDArray logSoftmax = logits.logSoftmax(-1);
        NDArray part = logSoftmax.gather(tg, 1).squeeze(1);
        if (entropy) {
          NDArray lp = logSoftmax.stopGradient();
          entropySum += lp.exp().mul(lp).sum().neg().getFloat();
        }
        NDScope.unregister(part);
        parts.add(part);
      }
    }
    NDArray logp =
        parts.isEmpty()
            ? m.zeros(new Shape(0))
            : parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts));
    return new Logprobs(logp, entropySum);
  }
}
