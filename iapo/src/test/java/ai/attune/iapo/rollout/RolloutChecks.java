package ai.attune.iapo.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.iapo.grpo.TokenMasks.TokenRole;
import ai.attune.models.qwen2vl.Qwen25VlForConditionalGeneration;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDManager;
import java.util.List;

/** Invariants every rollout must satisfy, shared by the runner tests. */
public final class RolloutChecks {
  private RolloutChecks() {}

  /**
   * The old log-probabilities equal {@code log_softmax} of one fresh teacher-forced pass over all
   * the rollouts (left-padded into one batch, images bound) at every policy token.
   *
   * @return the largest difference
   */
  public static double logprobsMatchTeacherForcing(
      Qwen25VlForConditionalGeneration model,
      List<Rollout> rollouts,
      long padId,
      NDManager parent) {
    double max = 0;
    try (NDManager m = parent.newSubManager()) {
      TeacherForcedBatch batch =
          TeacherForcedBatch.of(rollouts.stream().map(Rollout::trajectory).toList(), padId, m);
      float[] lp = batch.targetLogprobs(model).toFloatArray();
      int w = batch.width();
      for (int b = 0; b < rollouts.size(); b++) {
        Rollout r = rollouts.get(b);
        for (int t = 1; t < r.ids().length; t++) {
          if (r.roles()[t] == TokenRole.POLICY) {
            double d = Math.abs(lp[b * w + batch.column(b, t)] - r.oldLogprobs()[t]);
            max = Math.max(max, d);
          }
        }
      }
    }
    assertThat(max).as("old vs teacher-forced log-probabilities").isLessThan(1e-4);
    return max;
  }

  /** The policy mask is 1 exactly on the turns' generated tokens. */
  public static void policyMaskCoversExactlyTheGeneratedTokens(Rollout r) {
    boolean[] generated = new boolean[r.ids().length];
    int count = 0;
    for (TurnRecord t : r.turns()) {
      for (int i = t.tokenStart(); i < t.tokenEnd(); i++) {
        generated[i] = true;
        count++;
      }
    }
    float[] mask = r.policyMask();
    for (int i = 0; i < mask.length; i++) {
      assertThat(mask[i]).as("policy mask at %d", i).isEqualTo(generated[i] ? 1f : 0f);
    }
    assertThat(r.trajectory().policyTokens()).isEqualTo(count);
  }

  /** The ids decode to the conversation, and each turn's tokens to its text. */
  public static void decodesToTheConversation(Rollout r, TextTokenizer tokenizer) {
    assertThat(tokenizer.decode(r.ids())).isEqualTo(r.fullText());
    for (TurnRecord t : r.turns()) {
      long[] ids = java.util.Arrays.copyOfRange(r.ids(), t.tokenStart(), t.tokenEnd());
      assertThat(tokenizer.decode(ids)).isEqualTo(t.text());
    }
  }

  /** Number of {@code <|image_pad|>} runs (images) in a batch of ids. */
  public static int imageRuns(long[] ids, long imagePad) {
    int runs = 0;
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] == imagePad && (i == 0 || ids[i - 1] != imagePad)) {
        runs++;
      }
    }
    return runs;
  }
}
