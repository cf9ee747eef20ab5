package ai.attune.iapo.train;

import ai.attune.core.noise.SeededNoise;
import ai.attune.core.optim.AdamW;
import ai.attune.core.params.Parameter;
import ai.attune.iapo.attribution.AlignmentConfig;
import ai.attune.iapo.attribution.BlockAttribution;
import ai.attune.iapo.attribution.TeacherAlignment;
import ai.attune.iapo.data.VqaExample;
import ai.attune.iapo.grpo.ClippedSurrogate.ClipFractions;
import ai.attune.iapo.grpo.PolicyUpdate;
import ai.attune.iapo.reward.RewardScores;
import ai.attune.iapo.reward.RewardSet;
import ai.attune.iapo.reward.RolloutView;
import ai.attune.iapo.rollout.Rollout;
import ai.attune.iapo.rollout.RolloutRunner;
import ai.attune.iapo.tools.ToolRegistry;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One IAPO step (iapo.md §2): for each question G rollouts of the student; their outcome rewards;
 * for each rollout that attempted a tool call the student's and the teacher's block attribution of
 * that call and their divergence D; shaped rewards r = r_out − λ·D (a rollout without a tool call
 * gets its group's largest D or a configured D_max: {@link ShapedRewards}); then the GRPO update
 * ({@link PolicyUpdate}).
 *
 * <p>The attributions run before the policy backward, with the student's trainable parameters not
 * tracking gradients (a pass through the process-global gradient collector would otherwise zero and
 * refill their gradients, and leave a gradient handle per parameter behind). With a teacher, D is
 * computed (and logged as {@code attribution_kl}) even when λ = 0. Randomness: the rollouts of
 * question p at step s are seeded with {@code derive(seed, ROLLOUTS, s, p)}, so a step does the
 * same thing whenever it runs (exact resume).
 *
 * <p>Lifecycle: built once per run over loaded models and the optimizer; {@link #run} per step.
 * Every array of a step lives in sub-managers of the caller's manager closed before it returns.
 */
public final class IapoStep {
  static final long ROLLOUTS = 0x524f4c4cL;
  static final long PLACEBO = 0x504c4143L;

  private final TrainingModels models;
  private final IapoTrainConfig config;
  private final RolloutRunner runner;
  private final RewardSet rewards;
  private final BlockAttribution attribution;
  private final AlignmentConfig alignment;
  private final PolicyUpdate update;

  public IapoStep(TrainingModels models, IapoTrainConfig config, AdamW optimizer) {
    this(models, config, optimizer, config.rollout().registry(), config.rewards().toRewardSet());
  }

  /** A step whose rollouts call {@code tools} and are scored by {@code rewards}. */
  public IapoStep(
      TrainingModels models,
      IapoTrainConfig config,
      AdamW optimizer,
      ToolRegistry tools,
      RewardSet rewards) {
    this.models = models;
    this.config = config;
    this.runner =
        new RolloutRunner(
            models.student(),
            models.tokenizer(),
            models.processor(),
            tools,
            config.rollout().sampling());
    this.rewards = rewards;
    this.alignment = config.alignment().config();
    this.attribution =
        new BlockAttribution(alignment.attribution(), config.train().recomputeActivations());
    if (models.teacher() != null) { // checks the shared tokenizer (padding allowed), frozen
      new TeacherAlignment(
          models.student(),
          models.teacher(),
          alignment,
          Path.of(config.student().dir()),
          Path.of(config.teacher().dir()));
    }
    int maxCompletion =
        config.rollout().sampling().maxTurns() * config.rollout().sampling().maxNewTokensPerTurn();
    this.update =
        new PolicyUpdate(
            models.student(),
            models.reference(),
            optimizer,
            config.grpo().loss(),
            maxCompletion,
            config.grpo().updatesPerBatch(),
            runner.specialTokens().endOfText(),
            config.grpo().microBatchSize(),
            PolicyUpdate.HEAD_CHUNK,
            config.train().recomputeActivations());
  }

  /** Runs step {@code step} on {@code prompts}. */
  public StepResult run(long step, List<VqaExample> prompts, NDManager parent) {
    long start = System.nanoTime();
    PhaseTimes times = new PhaseTimes();
    List<Rollout> rollouts = sample(step, prompts, times, parent);
    List<RolloutView> views = rollouts.stream().map(Rollout::view).toList();
    RewardScores scores = times.time(Phase.REWARDS, () -> rewards.score(views));
    double[] d = divergences(rollouts, times, parent);
    double[] shaped =
        ShapedRewards.shape(scores.total(), penalties(step, d), config.alignment().lambda());
    PolicyUpdate.Result u =
        times.time(
            Phase.POLICY_UPDATE,
            () -> update.apply(step, rollouts, shaped, config.rollout().groupSize(), parent));
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Object> m = metrics(rollouts, scores, shaped, d, u, times, seconds);
    return new StepResult(step, m, rollouts, scores.total(), d, times);
  }

  private List<Rollout> sample(
      long step, List<VqaExample> prompts, PhaseTimes times, NDManager parent) {
    long start = System.nanoTime();
    long generating = runner.generationNanos();
    long[] seeds = new long[prompts.size()];
    for (int p = 0; p < prompts.size(); p++) {
      seeds[p] = SeededNoise.derive(config.train().seed(), ROLLOUTS, step, p);
    }
    List<Rollout> out = new ArrayList<>();
    runner.runAll(prompts, config.rollout().groupSize(), seeds, parent).forEach(out::addAll);
    long generation = runner.generationNanos() - generating;
    times.add(Phase.GENERATION, generation);
    times.add(Phase.TOOLS, System.nanoTime() - start - generation);
    return out;
  }

  /**
   * The D each rollout's reward is shaped with ({@link ShapedRewards}): the measured D, the
   * configured D for rollouts without a tool call, shuffled within groups for the placebo; all NaN
   * without a teacher.
   */
  private double[] penalties(long step, double[] d) {
    if (models.teacher() == null) {
      return d;
    }
    AlignmentSection a = config.alignment();
    int g = config.rollout().groupSize();
    double[] out = ShapedRewards.effectiveDivergences(d, g, a.noToolPolicy());
    return a.placebo()
        ? ShapedRewards.shuffledWithinGroups(
            out, g, SeededNoise.derive(config.train().seed(), PLACEBO, step))
        : out;
  }

  /** D per rollout: NaN without a teacher or a tool call. */
  private double[] divergences(List<Rollout> rollouts, PhaseTimes times, NDManager parent) {
    double[] d = new double[rollouts.size()];
    java.util.Arrays.fill(d, Double.NaN);
    if (models.teacher() == null) {
      return d;
    }
    List<Parameter> trainable = models.trainable();
    requireGradients(trainable, false);
    try {
      d =
          RolloutAttribution.divergences(
              rollouts, models.student(), models.teacher(), attribution, alignment, times, parent);
    } finally {
      requireGradients(trainable, true);
    }
    return d;
  }

  /**
   * Switches gradient tracking of the student's trainable parameters: off while attributing (the
   * attribution needs gradients with respect to the input embeddings only, and its backward pass
   * would otherwise add into the parameters' gradients), on again for the policy update.
   */
  private static void requireGradients(List<Parameter> params, boolean on) {
    for (Parameter p : params) {
      p.value().setRequiresGradient(on);
    }
  }

  private Map<String, Object> metrics(
      List<Rollout> rollouts,
      RewardScores scores,
      double[] shaped,
      double[] d,
      PolicyUpdate.Result u,
      PhaseTimes times,
      double seconds) {
    Map<String, Object> m = new LinkedHashMap<>(scores.metrics());
    m.put("reward_shaped", mean(shaped));
    m.put("reward_std", u.rewardStd());
    m.put("frac_reward_zero_std", u.fracRewardZeroStd());
    RolloutStats stats = RolloutStats.of(rollouts);
    m.put("tool_call_rate", stats.toolCallRate());
    m.put("tool_success_rate", stats.toolSuccessRate());
    m.put("attribution_kl", nanMean(d));
    m.put("attributed_fraction", attributed(d));
    ClipFractions clip = u.clip();
    m.put("clip_ratio/low_mean", clip.low());
    m.put("clip_ratio/high_mean", clip.high());
    m.put("clip_ratio/region_mean", clip.region());
    if (!Double.isNaN(u.kl())) {
      m.put("kl", u.kl());
    }
    m.put("entropy", u.entropy());
    m.put("loss", u.loss());
    m.put("grad_norm", u.gradNorm());
    m.put("skipped_updates", u.skipped());
    m.put("lr", config.optim().lr());
    m.put("completion_length", stats.meanPolicyTokens());
    double gen = times.seconds(Phase.GENERATION);
    m.put("tokens_per_s", gen > 0 ? stats.policyTokens() / gen : Double.NaN);
    m.put("step_time", seconds);
    m.putAll(times.metrics());
    return m;
  }

  static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return v.length == 0 ? Double.NaN : s / v.length;
  }

  static double nanMean(double[] v) {
    double s = 0;
    int n = 0;
    for (double x : v) {
      if (!Double.isNaN(x)) {
        s += x;
        n++;
      }
    }
    return n == 0 ? Double.NaN : s / n;
  }

  private static double attributed(double[] d) {
    int n = 0;
    for (double x : d) {
      n += Double.isNaN(x) ? 0 : 1;
    }
    return d.length == 0 ? Double.NaN : (double) n / d.length;
  }
}
