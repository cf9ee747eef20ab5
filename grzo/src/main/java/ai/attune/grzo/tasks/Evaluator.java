package ai.attune.grzo.tasks;

import ai.attune.models.CausalLM;
import ai.attune.models.LanguageModel;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates a model on a task's examples, MeZO's way: accuracy by the argmax of the option
 * scores (length-normalised log-likelihood, or label-word logits for a masked LM), F1 of greedy
 * answers for generation tasks; the mean per-example training loss of the task in both cases.
 *
 * <p>Lifecycle: built once per model and encoder; every call works in batches of
 * {@code batchSize} examples, each in its own sub-manager of the caller's manager, and leaves
 * nothing behind. Evaluation never changes the model.
 */
public final class Evaluator {
  private final LanguageModel model;
  private final TaskEncoder encoder;
  private final int batchSize;
  private final AnswerGenerator generator;

  private Evaluator(LanguageModel model, TaskEncoder encoder, int batchSize,
      AnswerGenerator generator) {
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
   * An evaluator of every task for a causal LM: generation tasks decode at most
   * {@code maxNewTokens} tokens per answer (MeZO: 50).
   */
  public static Evaluator forCausalLm(CausalLM model, TextTokenizer tokenizer,
      PromptEncoder encoder, int batchSize, int maxNewTokens) {
    return new Evaluator(model, encoder, batchSize,
        new AnswerGenerator(model, tokenizer, encoder, maxNewTokens));
  }

  /** Accuracy or F1, mean loss and count over {@code examples}. */
  public EvalMetrics evaluate(List<TaskExample> examples, NDManager parent) {
    TaskObjective objective = TaskExample.commonObjective(examples);
    double lossSum = 0;
    double scoreSum = 0;
    for (List<TaskExample> chunk : chunks(examples)) {
      try (NDManager m = parent.newSubManager()) {
        EncodedBatch batch = encoder.forScoring(chunk, m);
        NDArray scores = TaskLosses.optionScores(batch, forward(batch));
        lossSum += sum(TaskLosses.fromScores(batch, scores).toFloatArray());
        if (objective != TaskObjective.GENERATION) {
          int[] predicted = argmax(scores.toFloatArray(), batch.optionsPerExample());
          for (int i = 0; i < predicted.length; i++) {
            scoreSum += predicted[i] == chunk.get(i).label() ? 1 : 0;
          }
        }
      }
      if (objective == TaskObjective.GENERATION) {
        List<String> answers = generator().answers(chunk, parent);
        for (int i = 0; i < chunk.size(); i++) {
          scoreSum += TokenF1.maxF1(answers.get(i), chunk.get(i).answers());
        }
      }
    }
    int n = examples.size();
    return new EvalMetrics(objective.metric(), scoreSum / n, lossSum / n, n);
  }

  /** The option each example's scores rank first (ties: the lowest index). */
  public int[] predictOptions(List<TaskExample> examples, NDManager parent) {
    int[] out = new int[examples.size()];
    int at = 0;
    for (List<TaskExample> chunk : chunks(examples)) {
      try (NDManager m = parent.newSubManager()) {
        EncodedBatch batch = encoder.forScoring(chunk, m);
        float[] scores = TaskLosses.optionScores(batch, forward(batch)).toFloatArray();
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

  private NDArray forward(EncodedBatch batch) {
    return Forward.of(model).logits(batch.inputIds(), batch.attentionMask());
  }

  private AnswerGenerator generator() {
    if (generator == null) {
      throw new IllegalStateException("this evaluator cannot generate; build it with"
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
