package ai.attune.spark.eval;

import ai.attune.core.device.Engines;
import ai.attune.grzo.tasks.EvalMetrics;
import ai.attune.grzo.tasks.Evaluator;
import ai.attune.grzo.tasks.Evaluator.ChunkResult;
import ai.attune.grzo.tasks.MezoTask;
import ai.attune.grzo.tasks.Sampling;
import ai.attune.grzo.tasks.TaskDatasets;
import ai.attune.grzo.tasks.TaskExample;
import ai.attune.grzo.train.TaskSetup;
import ai.attune.models.LanguageModel;
import ai.attune.models.Models;
import ai.attune.models.text.TextTokenizer;
import ai.attune.spark.train.ExecutorEngine;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code grzo eval} spread over Spark partitions with the result of one process, bit for bit: the
 * examples are cut into batches of {@code batchSize} exactly as one process cuts them, each
 * partition evaluates a contiguous run of whole batches ({@link Evaluator#evaluateChunks}), and the
 * driver combines the batches' results in order ({@link Evaluator#combine}).
 */
public final class SparkEvaluation {
  private SparkEvaluation() {}

  /** The examples {@code spec} names (loaded and sampled as {@code grzo eval} does). */
  public static List<TaskExample> examples(EvalSpec spec) {
    List<TaskExample> examples =
        TaskDatasets.load(MezoTask.fromName(spec.task()), Path.of(spec.data()));
    if (spec.maxExamples() > 0) {
      examples = Sampling.sample(examples, spec.maxExamples(), spec.seed());
    }
    if (examples.isEmpty()) {
      throw new IllegalArgumentException(spec.data() + ": no examples");
    }
    return examples;
  }

  /** Evaluates over at most {@code partitions} partitions (fewer when there are fewer batches). */
  public static EvalMetrics evaluate(JavaSparkContext sc, EvalSpec spec, int partitions) {
    List<TaskExample> examples = examples(spec);
    int batches = (examples.size() + spec.batchSize() - 1) / spec.batchSize();
    int p = Math.max(1, Math.min(partitions, batches));
    List<Integer> ids = IntStream.range(0, p).boxed().toList();
    List<ChunkResult> chunks =
        sc.parallelize(ids, p)
            .mapPartitions(it -> evaluatePart(spec, it.next(), p).iterator())
            .collect();
    return Evaluator.combine(TaskExample.commonObjective(examples), chunks);
  }

  /** The batches of part {@code part} of {@code parts}: a contiguous run of whole batches. */
  static List<ChunkResult> evaluatePart(EvalSpec spec, int part, int parts) {
    TaskContext task = TaskContext.get();
    ExecutorEngine.configure(task == null ? 1 : task.cpus());
    List<TaskExample> all = examples(spec);
    int batches = (all.size() + spec.batchSize() - 1) / spec.batchSize();
    int from = (int) ((long) batches * part / parts) * spec.batchSize();
    int to = Math.min(all.size(), (int) ((long) batches * (part + 1) / parts) * spec.batchSize());
    if (from >= to) {
      return new ArrayList<>();
    }
    Path model = Path.of(spec.model());
    try (NDManager root = Engines.newManager(spec.device());
        LanguageModel lm = Models.loadAny(model, spec.dtype(), root);
        TextTokenizer tokenizer = TextTokenizer.load(model)) {
      TaskSetup setup =
          TaskSetup.of(
              lm,
              tokenizer,
              MezoTask.fromName(spec.task()),
              spec.bos(),
              spec.maxLength(),
              spec.batchSize());
      return new ArrayList<>(setup.evaluator().evaluateChunks(all.subList(from, to), root));
    }
  }
}
