package ai.attune.grzo.train;

import ai.attune.core.device.Engines;
import ai.attune.grzo.tasks.Evaluator;
import ai.attune.grzo.tasks.MezoTask;
import ai.attune.grzo.tasks.Sampling;
import ai.attune.grzo.tasks.TaskDatasets;
import ai.attune.grzo.tasks.TaskEncoder;
import ai.attune.grzo.tasks.TaskExample;
import ai.attune.models.LanguageModel;
import ai.attune.models.Models;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;

/**
 * What a training run works with: the engine manager, the model (from the base folder or a
 * checkpoint), its tokenizer, the task's encoder and evaluator, and the train, dev and test
 * examples.
 *
 * <p>Lifecycle: opened once per run, before the loop; closing it frees the model, the tokenizer and
 * every array of the run.
 */
final class TrainingSession implements AutoCloseable {
  final NDManager root;
  final LanguageModel model;
  final TextTokenizer tokenizer;
  final TaskEncoder encoder;
  final Evaluator evaluator;
  final List<TaskExample> train;
  final List<TaskExample> dev;
  final List<TaskExample> test;

  private TrainingSession(
      NDManager root,
      LanguageModel model,
      TextTokenizer tokenizer,
      TaskEncoder encoder,
      Evaluator evaluator,
      List<TaskExample> train,
      List<TaskExample> dev,
      List<TaskExample> test) {
    this.root = root;
    this.model = model;
    this.tokenizer = tokenizer;
    this.encoder = encoder;
    this.evaluator = evaluator;
    this.train = train;
    this.dev = dev;
    this.test = test;
  }

  /**
   * Loads the data first (so a bad line fails before the engine starts), then the weights of {@code
   * weights} (the base model or a checkpoint) with the base model's tokenizer.
   */
  static TrainingSession open(GrzoTrainConfig config, Path weights) {
    TaskSection t = config.task();
    MezoTask task = t.task();
    List<TaskExample> train = load(task, t.train(), t.trainExamples(), t.dataSeed());
    List<TaskExample> dev = load(task, t.dev(), t.devExamples(), t.dataSeed());
    List<TaskExample> test =
        t.test() == null ? List.of() : load(task, t.test(), t.testExamples(), t.dataSeed());
    NDManager root = Engines.newManager(config.model().device());
    try {
      LanguageModel model = Models.loadAny(weights, config.model().computeDtype(), root);
      TextTokenizer tokenizer = TextTokenizer.load(Path.of(config.model().dir()));
      TaskSetup setup =
          TaskSetup.of(
              model,
              tokenizer,
              task,
              t.prependBos(),
              t.maxLength(),
              config.train().evalBatchSize());
      return new TrainingSession(
          root, model, tokenizer, setup.encoder(), setup.evaluator(), train, dev, test);
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }

  private static List<TaskExample> load(MezoTask task, String file, int n, long seed) {
    List<TaskExample> all = TaskDatasets.load(task, Path.of(file));
    if (all.isEmpty()) {
      throw new IllegalArgumentException(file + ": no examples");
    }
    return n == 0 ? List.copyOf(all) : Sampling.sample(all, n, seed);
  }

  /** The examples the before/after evaluation uses: test, or dev without a test set. */
  List<TaskExample> finalSplit() {
    return test.isEmpty() ? dev : test;
  }

  /** {@code test} or {@code dev}, as {@link #finalSplit}. */
  String finalSplitName() {
    return test.isEmpty() ? "dev" : "test";
  }

  @Override
  public void close() {
    try {
      tokenizer.close();
    } finally {
      try {
        model.close();
      } finally {
        root.close();
      }
    }
  }
}
