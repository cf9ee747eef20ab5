package ai.attune.grzo.tasks;

import ai.attune.models.CausalLM;
import ai.attune.models.LanguageModel;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates a model on a task's examples, MeZO's way: accuracy by the argmax of the option scores
 * (length-normalised log-likelihood, or label-word logits for a masked LM), F1 of greedy answers
 * for generation tasks; the mean per-example training loss of the task in both cases.
 *
 * <p>Lifecycle: built once per model and encoder; every call works in batches of {@code batchSize}
 * examples, each in its own sub-manager of the caller's manager, and leaves nothing behind.
 * Evaluation never changes the model.
 */
public final class Evaluator {
  private final LanguageModel model;
  private final TaskEncoder encoder;
  private final int batchSize;
  private final AnswerGenerator generator;

  private Evaluator(
      LanguageModel model, TaskEncoder encoder, int batchSize, AnswerGenerator generator) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
    this.model = model;
    this.encoder = encoder;
    this.batchSize = batchSize;
    this.generator = generator;
  }

  /** An evaluator of classification and choice tasks (any model, any encoder). */
  public static Evaluator forChoices(LanguageModel model, TaskEncoder encoder, int batchSize) {
    return new Evaluator(model, encoder, batchSize, null);
  }

  /**
   * An evaluator of every task for a causal LM: generation tasks decode at most {@code
   * maxNewTokens} tokens per answer (MeZO: 50).
   */
  public static Evaluator forCausalLm(
      CausalLM model,
      TextTokenizer tokenizer,
      PromptEncoder encoder,
      int batchSize,
      int maxNewTokens) {
    return new Evaluator(
        model, encoder, batchSize, new AnswerGenerator(model, tokenizer, encoder, maxNewTokens));
  }

  /** Accuracy or F1, mean loss and count over {@code examples}. */
  public EvalMetrics evaluate(List<TaskExample> examples, NDManager parent) {
    return combine(TaskExample.commonObjective(examples), evaluateChunks(examples, parent));
  }

  /**
   * The per-batch results of {@link #evaluate}, one per {@code batchSize} examples in order; the
   * results of consecutive parts of a list that start at batch boundaries, concatenated and {@link
   * #combine combined}, are those of the whole list bit for bit (distributed evaluation).
   */
  public List<ChunkResult> evaluateChunks(List<TaskExample> examples, NDManager parent) {
    TaskObjective objective = TaskExample.commonObjective(examples);
    List<ChunkResult> out = new ArrayList<>();
    for (List<TaskExample> chunk : chunks(examples)) {
      double lossSum;
      double[] scores = new double[chunk.size()];
      try (NDManager m = parent.newSubManager()) {
        EncodedBatch batch = encoder.forScoring(chunk, m);
        NDArray optionScores = TaskLosses.optionScores(batch, Forward.of(model));
        lossSum = sum(TaskLosses.fromScores(batch, optionScores).toFloatArray());
        if (objective != TaskObjective.GENERATION) {
          int[] predicted = argmax(optionScores.toFloatArray(), batch.optionsPerExample());
          for (int i = 0; i < predicted.length; i++) {
            scores[i] = predicted[i] == chunk.get(i).label() ? 1 : 0;
          }
        }
      }
      if (objective == TaskObjective.GENERATION) {
        List<String> answers = generator().answers(chunk, parent);
        for (int i = 0; i < chunk.size(); i++) {
          scores[i] = TokenF1.maxF1(answers.get(i), chunk.get(i).answers());
        }
      }
      out.add(new ChunkResult(lossSum, scores));
    }
    return out;
  }

  /** The metrics of the examples whose per-batch results are {@code chunks}, in order. */
  public static EvalMetrics combine(TaskObjective objective, List<ChunkResult> chunks) {
    double lossSum = 0;
    double scoreSum = 0;
    int n = 0;
    for (ChunkResult c : chunks) {
      lossSum += c.lossSum();
      for (double s : c.scores()) {
        scoreSum += s;
      }
      n += c.scores().length;
    }
    return new EvalMetrics(objective.metric(), scoreSum / n, lossSum / n, n);
  }

  /**
   * One batch's results.
   *
   * @param lossSum the sum of its examples' losses
   * @param scores each example's score (1 or 0 for a right or wrong choice, F1 for generation)
   */
  public record ChunkResult(double lossSum, double[] scores) implements java.io.Serializable {}

  /** The option each example's scores rank first (ties: the lowest index). */
  public int[] predictOptions(List<TaskExample> examples, NDManager parent) {
    int[] out = new int[examples.size()];
    int at = 0;
    for (List<TaskExample> chunk : chunks(examples)) {
      try (NDManager m = parent.newSubManager()) {
        EncodedBatch batch = encoder.forScoring(chunk, m);
        float[] scores = TaskLosses.optionScores(batch, Forward.of(model)).toFloatArray();
        for (int p : argmax(scores, batch.optionsPerExample())) {
          out[at++] = p;
        }
      }
    }
    return out;
  }

  /** The greedy answer of every example (generation tasks, causal LMs only). */
  public List<String> generateAnswers(List<TaskExample> examples, NDManager parent) {
    List<String> out = new ArrayList<>();
    for (List<TaskExample> chunk : chunks(examples)) {
      out.addAll(generator().answers(chunk, parent));
    }
    return out;
  }

  private AnswerGenerator generator() {
    if (generator == null) {
      throw new IllegalStateException(
          "this evaluator cannot generate; build it with"
              + " Evaluator.forCausalLm to evaluate generation tasks");
    }
    return generator;
  }

  private List<List<TaskExample>> chunks(List<TaskExample> examples) {
    List<List<TaskExample>> out = new ArrayList<>();
    for (int i = 0; i < examples.size(); i += batchSize) {
      out.add(examples.subList(i, Math.min(examples.size(), i + batchSize)));
    }
    return out;
  }

  static int[] argmax(float[] scores, int k) {
    int[] out = new int[scores.length / k];
    for (int b = 0; b < out.length; b++) {
      int best = 0;
      for (int j = 1; j < k; j++) {
        if (scores[b * k + j] > scores[b * k + best]) {
          best = j;
        }
      }
      out[b] = best;
    }
    return out;
  }

  private static double sum(float[] values) {
    double s = 0;
    for (float v : values) {
      s += v;
    }
    return s;
  }
}
