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
 * changes nothing in the model and draws no randomness a training step uses. {@link
 * #evaluateBatches} and {@link #combine} are {@link #run} in pieces of whole batches, for
 * evaluation spread over processes.
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
        config.rollout().evaluation(),
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
    List<RolloutSamples.Rendered> rendered = new ArrayList<>();
    int firstQuestion = 0;
    for (Map.Entry<String, List<VqaExample>> set : sets.entrySet()) {
      List<VqaExample> examples = set.getValue();
      List<QuestionResult> results =
          evaluateBatches(
              set.getKey(),
              examples,
              0,
              batches(examples.size()),
              samplesDir == null ? 0 : samples - firstQuestion,
              firstQuestion,
              parent);
      firstQuestion += examples.size();
      results.stream().filter(q -> q.sample() != null).forEach(q -> rendered.add(q.sample()));
      out.put(set.getKey(), combine(set.getKey(), results));
    }
    writeSamples(samplesDir, rendered);
    return out;
  }

  /** How many batches of {@link #BATCH} questions a set of {@code questions} makes. */
  public static int batches(int questions) {
    return (questions + BATCH - 1) / BATCH;
  }

  /**
   * The results of batches {@code [fromBatch, toBatch)} of a set, one per question in order. Each
   * batch is rolled out as {@link #run} rolls it out (question i of the set in batch {@code i /
   * BATCH}, seeded with {@code derive(seed, EVAL, i)}), so the results of consecutive batch ranges,
   * concatenated and {@link #combine combined}, are {@link #run}'s bit for bit (distributed
   * evaluation).
   *
   * @param samples questions at index {@code i < samples} of the set are also rendered for reading,
   *     as sample number {@code firstSample + i}
   */
  public List<QuestionResult> evaluateBatches(
      String name,
      List<VqaExample> set,
      int fromBatch,
      int toBatch,
      int samples,
      int firstSample,
      NDManager parent) {
    if (fromBatch < 0 || toBatch > batches(set.size()) || fromBatch > toBatch) {
      throw new IllegalArgumentException(
          String.format(
              "%s has %d batches of %d questions; asked for batches [%d, %d)",
              name, batches(set.size()), BATCH, fromBatch, toBatch));
    }
    int first = fromBatch * BATCH;
    int last = Math.min(set.size(), toBatch * BATCH);
    String label = "eval " + name;
    if (first > 0 || last < set.size()) {
      label += " questions " + first + ".." + (last - 1);
    }
    ProgressLog progress = new ProgressLog(label, last - first, Duration.ofSeconds(10));
    List<QuestionResult> out = new ArrayList<>();
    for (int from = first; from < last; from += BATCH) {
      int to = Math.min(last, from + BATCH);
      long[] seeds = new long[to - from];
      for (int i = from; i < to; i++) {
        seeds[i - from] = SeededNoise.derive(seed, EVAL, i);
      }
      List<Rollout> rollouts =
          runner.runAll(set.subList(from, to), 1, seeds, parent).stream()
              .map(group -> group.get(0))
              .toList();
      double[] scores = judge.score(rollouts.stream().map(Rollout::view).toList());
      for (int i = from; i < to; i++) {
        Rollout r = rollouts.get(i - from);
        RolloutSamples.Rendered sample =
            i < samples ? RolloutSamples.render(firstSample + i, r, set.get(i)) : null;
        out.add(QuestionResult.of(r, scores[i - from], sample));
      }
      progress.update(to - first);
    }
    progress.finish();
    return out;
  }

  /** A set's result from its questions' results, in order. */
  public static EvalSetResult combine(String name, List<QuestionResult> questions) {
    double[] scores = new double[questions.size()];
    int withToolCall = 0;
    int calls = 0;
    int succeeded = 0;
    long policyTokens = 0;
    for (int i = 0; i < scores.length; i++) {
      QuestionResult q = questions.get(i);
      scores[i] = q.score();
      withToolCall += q.toolCalls() > 0 ? 1 : 0;
      calls += q.toolCalls();
      succeeded += q.toolCallsSucceeded();
      policyTokens += q.policyTokens();
    }
    return new EvalSetResult(
        name,
        scores.length,
        IapoStep.mean(scores),
        new RolloutStats(scores.length, withToolCall, calls, succeeded, policyTokens));
  }

  /** Writes rendered samples to {@code dir}; nothing when {@code dir} is null or none is given. */
  public static void writeSamples(Path dir, List<RolloutSamples.Rendered> samples) {
    if (dir != null && !samples.isEmpty()) {
      try {
        RolloutSamples.write(dir, samples);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write rollout samples to " + dir, e);
      }
    }
  }
}
