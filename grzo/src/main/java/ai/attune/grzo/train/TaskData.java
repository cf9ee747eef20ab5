package ai.attune.grzo.train;

import ai.attune.core.config.InvalidSettingException;
import ai.attune.grzo.optim.BatchLoss;
import ai.attune.grzo.optim.ZerothOrderOptimizer;
import ai.attune.grzo.optim.ZoStep;
import ai.attune.grzo.tasks.EvalMetrics;
import ai.attune.grzo.tasks.Evaluator;
import ai.attune.grzo.tasks.MezoTask;
import ai.attune.grzo.tasks.PerExampleLoss;
import ai.attune.grzo.tasks.Sampling;
import ai.attune.grzo.tasks.TaskDatasets;
import ai.attune.grzo.tasks.TaskEncoder;
import ai.attune.grzo.tasks.TaskExample;
import ai.attune.models.LanguageModel;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The {@code task} section's data: one of the MeZO tasks read from its JSONL files (sampled as
 * {@code task.*_examples} say), encoded with MeZO's templates and scored by the task's own loss,
 * accuracy or F1.
 */
final class TaskData implements TrainingData {
  private final TaskSection section;
  private final List<TaskExample> train;
  private final List<TaskExample> dev;
  private final List<TaskExample> test;

  private TaskData(
      TaskSection section, List<TaskExample> train, List<TaskExample> dev, List<TaskExample> test) {
    this.section = section;
    this.train = train;
    this.dev = dev;
    this.test = test;
  }

  /** Reads the task's files; fails on a missing {@code task} section or a bad line. */
  static TaskData load(GrzoTrainConfig config) {
    TaskSection t = config.task();
    InvalidSettingException.require(
        t != null, "task", "required section is missing (a config run needs a MeZO task)");
    MezoTask task = t.task();
    return new TaskData(
        t,
        load(task, t.train(), t.trainExamples(), t.dataSeed()),
        load(task, t.dev(), t.devExamples(), t.dataSeed()),
        t.test() == null ? List.of() : load(task, t.test(), t.testExamples(), t.dataSeed()));
  }

  private static List<TaskExample> load(MezoTask task, String file, int n, long seed) {
    List<TaskExample> all = TaskDatasets.load(task, Path.of(file));
    if (all.isEmpty()) {
      throw new IllegalArgumentException(file + ": no examples");
    }
    return n == 0 ? List.copyOf(all) : Sampling.sample(all, n, seed);
  }

  @Override
  public String name() {
    return section.name();
  }

  @Override
  public boolean hasTest() {
    return !test.isEmpty();
  }

  @Override
  public Opened open(LanguageModel model, TextTokenizer tokenizer, GrzoTrainConfig config) {
    TaskSetup setup =
        TaskSetup.of(
            model,
            tokenizer,
            section.task(),
            section.prependBos(),
            section.maxLength(),
            config.train().evalBatchSize());
    return new OpenedTask(model, setup.encoder(), setup.evaluator());
  }

  private final class OpenedTask implements Opened {
    private final LanguageModel model;
    private final TaskEncoder encoder;
    private final Evaluator evaluator;

    OpenedTask(LanguageModel model, TaskEncoder encoder, Evaluator evaluator) {
      this.model = model;
      this.encoder = encoder;
      this.evaluator = evaluator;
    }

    @Override
    public int trainSize() {
      return train.size();
    }

    @Override
    public ZoStep step(
        TrainWorker worker,
        ZerothOrderOptimizer optimizer,
        long step,
        long seed,
        double learningRate,
        int[] batch,
        NDManager manager,
        UnaryOperator<BatchLoss> wrap) {
      List<TaskExample> examples = new ArrayList<>(batch.length);
      for (int i : batch) {
        examples.add(train.get(i));
      }
      return worker.step(
          optimizer,
          model,
          step,
          seed,
          learningRate,
          examples,
          b ->
              wrap.apply(
                  new TaskBatchLoss(
                      model, encoder.forTraining(b, manager), PerExampleLoss.standard())));
    }

    @Override
    public EvalMetrics evaluate(String split, NDManager parent) {
      return evaluator.evaluate(split.equals("test") ? test : dev, parent);
    }
  }
}
