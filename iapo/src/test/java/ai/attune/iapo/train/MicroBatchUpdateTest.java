package ai.attune.iapo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.attune.core.optim.AdamW;
import ai.attune.core.optim.AdamWConfig;
import ai.attune.core.params.Parameter;
import ai.attune.iapo.grpo.GrpoLossConfig;
import ai.attune.iapo.grpo.LossType;
import ai.attune.iapo.grpo.PolicyUpdate;
import ai.attune.iapo.grpo.TokenMasks.TokenRole;
import ai.attune.iapo.rollout.TinyVl;
import ai.attune.iapo.rollout.Trajectory;
import ai.attune.models.qwen2vl.chat.BlockKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The policy update over micro-batches: the accumulated gradients of micro-batches give the same
 * AdamW step as one pass over the batch, and the update's working memory grows with the micro-batch
 * size, not with the number of rollouts.
 */
@Tag("engine")
class MicroBatchUpdateTest {
  static final int GROUP = 4;

  /** Rows of different lengths with prompt, policy and tool-output tokens. */
  static List<Trajectory> rows(int n, boolean sameLength, long seed) {
    Random rnd = new Random(seed);
    List<Trajectory> out = new ArrayList<>();
    for (int b = 0; b < n; b++) {
      int len = sameLength ? 26 : 20 + (b % 3) * 4;
      long[] ids = new long[len];
      TokenRole[] roles = new TokenRole[len];
      float[] logprobs = new float[len];
      for (int t = 0; t < len; t++) {
        ids[t] = rnd.nextInt(400);
        roles[t] =
            t < 8 ? TokenRole.PROMPT : t >= 14 && t < 17 ? TokenRole.TOOL_OUTPUT : TokenRole.POLICY;
        logprobs[t] = roles[t] == TokenRole.POLICY ? -0.5f - 3 * rnd.nextFloat() : 0f;
      }
      out.add(new Trajectory(ids, roles, new BlockKind[len], logprobs, List.of(), ""));
    }
    return out;
  }

  static double[] rewards(int n) {
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      r[i] = (i * 7 % 5) * 0.3;
    }
    return r;
  }

  record Outcome(PolicyUpdate.Result result, Map<String, float[]> weights) {}

  static Outcome update(
      List<Trajectory> rows, int microBatch, LossType type, int updates, boolean recompute) {
    try (TinyVl vl = new TinyVl()) {
      GrpoLossConfig loss = GrpoLossConfig.builder().optLossType(type).optEpsilonHigh(0.28).build();
      try (AdamW opt =
          AdamW.overTrainable(
              vl.model.parameters(), AdamWConfig.builder(1e-3).optMaxGradNorm(0.01).build())) {
        PolicyUpdate u =
            new PolicyUpdate(vl.model, null, opt, loss, 64, updates, 0, microBatch, 7, recompute);
        PolicyUpdate.Result r = u.applyTrajectories(1, rows, rewards(rows.size()), GROUP, vl.root);
        Map<String, float[]> w = new java.util.LinkedHashMap<>();
        for (Parameter p : opt.parameters()) {
          w.put(p.name(), p.value().toFloatArray());
        }
        return new Outcome(r, w);
      }
    }
  }

  @Test
  void accumulatedMicroBatchesGiveTheUpdateOfOneBatch() {
    List<Trajectory> rows = rows(8, false, 5);
    Outcome whole = update(rows, 0, LossType.DAPO, 2, false);
    assertSame("DAPO, micro-batches of 3", whole, update(rows, 3, LossType.DAPO, 2, false));
    assertSame(
        "DAPO, micro-batches of 3, recomputed", whole, update(rows, 3, LossType.DAPO, 2, true));
    assertSame(
        "GRPO, micro-batches of 3, recomputed",
        update(rows, 0, LossType.GRPO, 2, false),
        update(rows, 3, LossType.GRPO, 2, true));
  }

  static void assertSame(String what, Outcome whole, Outcome split) {
    assertThat(split.result().loss()).isCloseTo(whole.result().loss(), within(1e-6));
    assertThat(split.result().gradNorm())
        .isCloseTo(whole.result().gradNorm(), within(1e-5 * whole.result().gradNorm()));
    assertThat(split.result().entropy()).isCloseTo(whole.result().entropy(), within(1e-5));
    assertThat(whole.result().gradNorm()).isGreaterThan(0.01); // clipping is active
    double maxDiff = 0;
    double maxMove = 0;
    try (TinyVl fresh = new TinyVl()) {
      for (var e : whole.weights().entrySet()) {
        float[] a = e.getValue();
        float[] b = split.weights().get(e.getKey());
        float[] init = fresh.model.parameters().get(e.getKey()).value().toFloatArray();
        for (int i = 0; i < a.length; i++) {
          maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
          maxMove = Math.max(maxMove, Math.abs(a[i] - init[i]));
        }
      }
    }
    System.out.printf(
        "%s: loss %.6f vs %.6f, grad norm %.6f vs %.6f, weights max diff %.2e"
            + " (max move %.2e)%n",
        what,
        whole.result().loss(),
        split.result().loss(),
        whole.result().gradNorm(),
        split.result().gradNorm(),
        maxDiff,
        maxMove);
    assertThat(maxMove).isGreaterThan(1e-3); // two steps of lr 1e-3 moved the weights
    assertThat(maxDiff).isLessThan(1e-6);
  }

  @Test
  void workingMemoryGrowsWithTheMicroBatchNotWithTheRollouts() {
    long eightBy2 = peak(8, 2);
    long sixteenBy2 = peak(16, 2);
    long sixteenBy4 = peak(16, 4);
    long sixteenBy16 = peak(16, 0);
    System.out.printf(
        "peak live bytes: 8 rollouts/mb 2 %d, 16/mb 2 %d, 16/mb 4 %d, 16/mb 16 %d%n",
        eightBy2, sixteenBy2, sixteenBy4, sixteenBy16);
    assertThat((double) sixteenBy2).isCloseTo(eightBy2, within(0.02 * eightBy2));
    assertThat((double) sixteenBy4).isGreaterThan(1.8 * sixteenBy2);
    assertThat((double) sixteenBy16).isGreaterThan(7 * sixteenBy2);
  }

  static long peak(int rollouts, int microBatch) {
    return update(rows(rollouts, true, 1), microBatch, LossType.DAPO, 1, false)
        .result()
        .peakLiveBytes();
  }
}
