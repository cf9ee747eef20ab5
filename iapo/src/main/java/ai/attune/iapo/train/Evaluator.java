package ai.attune.iapo.train;

import ai.attune.core.noise.SeededNoise;
import ai.attune.core.run.ProgressLog;
import ai.attune.iapo.data.VqaExample;
import ai.attune.iapo.reward.AnswerCorrectnessReward;
import ai.attune.iapo.rollout.Rollout;
import ai.attune.iapo.rollout.RolloutConfig;
import ai.attune.iapo.rollout.RolloutRunner;
import ai.attune.iapo.tools.ToolRegistry;
import ai.attune.models.qwen2vl.Qwen25VlForConditionalGeneration;
import ai.attune.models.qwen2vl.Qwen2VlImageProcessor;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accuracy, tool-call rate and tool success rate of a model on evaluation sets: one rollout per
 * question with the evaluation rollout settings (greedy by default), scored by the answer judge.
 * The questions of a set are rolled out {@link #BATCH} at a time as the rows of one batch (question
 * i seeded with {@code derive(seed, EVAL, i)}, so the batching changes no result). Evaluation
 * changes nothing in the model and draws no randomness a training step uses.
 */
public final class Evaluator {
  static final long EVAL = 0x4556414cL;

  /** Questions rolled out together. */
  public static final int BATCH = 16;

  private final RolloutRunner runner;
  private final AnswerCorrectnessReward judge;
  private final long seed;

  public Evaluator(
      Qwen25VlForConditionalGeneration model,
      TextTokenizer tokenizer,
      Qwen2VlImageProcessor processor,
      ToolRegistry registry,
      RolloutConfig rollouts,
      AnswerCorrectnessReward judge,
      long seed) {
    this.runner = new RolloutRunner(model, tokenizer, processor, registry, rollouts);
    this.judge = judge;
    this.seed = seed;
  }

  /** An evaluator of a run's student with the run's settings. */
  Evaluator(TrainingModels models, IapoTrainConfig config) {
    this(
        models.student(),
        models.tokenizer(),
        models.processor(),
        config.rollout().registry(),
        config.rollout().toConfig(true),
        config.rewards().judge(),
        config.train().seed());
  }

  /**
   * Evaluates every set; writes the first {@code samples} rollouts (over all sets, in order) to
   * {@code samplesDir} when it is not null and {@code samples > 0}.
   */
  public Map<String, EvalSetResult> run(
      Map<String, List<VqaExample>> sets, int samples, Path samplesDir, NDManager parent) {
    Map<String, EvalSetResult> out = new LinkedHashMap<>();
    List<Rollout> sampled = new ArrayList<>();
    List<VqaExample> sampledExamples = new ArrayList<>();
    for (Map.Entry<String, List<VqaExample>> set : sets.entrySet()) {
      List<VqaExample> examples = set.getValue();
      List<Rollout> rollouts = new ArrayList<>();
      ProgressLog progress =
          new ProgressLog("eval " + set.getKey(), examples.size(), Duration.ofSeconds(10));
      for (int from = 0; from < examples.size(); from += BATCH) {
        int to = Math.min(examples.size(), from + BATCH);
        long[] seeds = new long[to - from];
        for (int i = from; i < to; i++) {
          seeds[i - from] = SeededNoise.derive(seed, EVAL, i);
        }
        runner.runAll(examples.subList(from, to), 1, seeds, parent).forEach(rollouts::addAll);
        progress.update(to);
      }
      for (int i = 0; i < rollouts.size() && sampled.size() < samples; i++) {
        sampled.add(rollouts.get(i));
        sampledExamples.add(examples.get(i));
      }
      progress.finish();
      double[] scores = judge.score(rollouts.stream().map(Rollout::view).toList());
      out.put(
          set.getKey(),
          new EvalSetResult(
              set.getKey(), rollouts.size(), IapoStep.mean(scores), RolloutStats.of(rollouts)));
    }
    if (samplesDir != null && !sampled.isEmpty()) {
      try {
        RolloutSamples.write(samplesDir, sampled, sampledExamples);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write rollout samples to " + samplesDir, e);
      }
    }
    return out;
  }
}
