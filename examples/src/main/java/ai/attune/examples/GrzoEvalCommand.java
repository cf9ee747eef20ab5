package ai.attune.examples;

import ai.attune.core.device.Engines;
import ai.attune.grzo.tasks.EvalMetrics;
import ai.attune.grzo.tasks.MezoTask;
import ai.attune.grzo.tasks.Sampling;
import ai.attune.grzo.tasks.TaskDatasets;
import ai.attune.grzo.tasks.TaskExample;
import ai.attune.grzo.train.TaskSetup;
import ai.attune.models.LanguageModel;
import ai.attune.models.Models;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code attune grzo eval}: accuracy (or F1) and mean task loss of a model on a JSONL file. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description =
        "Evaluates a model on a task's JSONL file the MeZO way: accuracy by the argmax"
            + " of the length-normalised option log-likelihood (F1 of greedy answers for squad and"
            + " drop), and the mean per-example training loss.")
final class GrzoEvalCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "HF checkpoint folder")
  Path model;

  @Option(
      names = "--task",
      required = true,
      description = "sst2, rte, cb, boolq, wic, wsc, multirc, copa, squad or drop")
  String task;

  @Option(names = "--data", required = true, description = "JSONL file of the task's examples")
  Path data;

  @Option(
      names = "--batch-size",
      defaultValue = "32",
      description = "examples per forward. Default: ${DEFAULT-VALUE}")
  int batchSize;

  @Option(
      names = "--max-examples",
      defaultValue = "0",
      description =
          "evaluate a seeded sample of this many examples; 0 = all." + " Default: ${DEFAULT-VALUE}")
  int maxExamples;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "seed of the --max-examples sample. Default: ${DEFAULT-VALUE}")
  long seed;

  @Option(
      names = "--max-length",
      defaultValue = "256",
      description = "longest token row. Default: ${DEFAULT-VALUE}")
  int maxLength;

  @Option(names = "--no-bos", description = "do not start rows with the BOS token")
  boolean noBos;

  @Mixin ComputeOptions compute;

  @Option(
      names = "--spark-master",
      paramLabel = "MASTER",
      description =
          "evaluate over Spark partitions of whole batches (local[N] or"
              + " spark://HOST:PORT); the result equals one process's. Needs Spark on the class"
              + " path (spark-submit; docs/scale-out.md)")
  String sparkMaster;

  @Option(names = "--partitions", description = "Spark partitions (default: N of local[N])")
  Integer partitions;

  @Override
  public Integer call() {
    if (sparkMaster != null) {
      SparkRuns.requireSpark();
      int n = SparkRuns.workers(sparkMaster, partitions, "--partitions");
      EvalMetrics m =
          SparkRuns.evaluate(
              sparkMaster,
              n,
              new ai.attune.spark.eval.EvalSpec(
                  model.toString(),
                  task,
                  data.toString(),
                  maxExamples,
                  seed,
                  maxLength,
                  !noBos,
                  batchSize,
                  compute.devicePolicy(),
                  compute.computeDtype()));
      print(MezoTask.fromName(task), m);
      return 0;
    }
    MezoTask t = MezoTask.fromName(task);
    List<TaskExample> examples = TaskDatasets.load(t, data);
    if (maxExamples > 0) {
      examples = Sampling.sample(examples, maxExamples, seed);
    }
    if (examples.isEmpty()) {
      throw new IllegalArgumentException(data + ": no examples");
    }
    try (NDManager root = Engines.newManager(compute.devicePolicy());
        LanguageModel lm = Models.loadAny(model, compute.computeDtype(), root);
        TextTokenizer tokenizer = TextTokenizer.load(model)) {
      TaskSetup setup = TaskSetup.of(lm, tokenizer, t, !noBos, maxLength, batchSize);
      print(t, setup.evaluator().evaluate(examples, root));
    }
    return 0;
  }

  private void print(MezoTask t, EvalMetrics m) {
    System.out.printf(
        Locale.ROOT,
        "%s %s: %.4f (loss %.4f, %d examples of %s)%n",
        t.id(),
        m.metric(),
        m.value(),
        m.loss(),
        m.n(),
        data);
  }
}
