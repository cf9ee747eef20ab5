package ai.attune.grzo.api;

import ai.attune.core.config.ConfigYaml;
import ai.attune.core.device.DevicePolicy;
import ai.attune.core.run.AtomicFiles;
import ai.attune.grzo.estimator.EstimatorMode;
import ai.attune.grzo.optim.BatchLoss;
import ai.attune.grzo.optim.ZoStep;
import ai.attune.grzo.tasks.EvalMetrics;
import ai.attune.grzo.train.GrzoTrainConfig;
import ai.attune.grzo.train.GrzoTrainer;
import ai.attune.grzo.train.LrSchedule;
import ai.attune.grzo.train.NanPolicy;
import ai.attune.grzo.train.OptimizerName;
import ai.attune.grzo.train.TrainResult;
import ai.attune.grzo.train.TrainerHooks;
import ai.attune.models.HfExport;
import ai.attune.models.LanguageModel;
import ai.attune.models.adapters.PerturbationKind;
import ai.attune.models.text.TextTokenizer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * MeZO or GRZO fine-tuning from Java: a model folder, the user's examples with an {@link
 * ExampleEncoder} and an {@link ExampleLoss} (or one of the built-in MeZO tasks), an optimizer and
 * variant, listeners; {@link #train()}, then {@link #save} the result as an HF checkpoint folder.
 * See {@code docs/api.md}.
 *
 * <p>It is the trainer of {@code attune grzo train} ({@link GrzoTrainer}) with its config built in
 * code: the run writes the same files to its output folder ({@code metrics.jsonl}, {@code
 * seed_log.jsonl}, {@code checkpoints/}, {@code run.json}, {@code loss.png}), logs the same
 * progress lines, resumes a killed run from its checkpoint exactly, and its seed log replays with
 * {@code attune grzo replay}.
 *
 * <p>Lifecycle: {@link #builder()} → set the required fields ({@code setX}) and any optional ones
 * ({@code optX}) → {@link Builder#build()} (checks every setting, loads nothing) → {@link #train()}
 * once (loads the model and keeps it) → {@link #model()}, {@link #save} → {@link #close()}, which
 * frees the model's native memory. Use it in try-with-resources.
 *
 * @param <E> the type of the user's examples
 */
public final class ZerothOrderTraining<E> implements AutoCloseable {
  private final GrzoTrainConfig config;
  private final GrzoTrainer trainer;
  private final GrzoTrainer.Start start;
  private TrainResult result;

  ZerothOrderTraining(
      GrzoTrainConfig config,
      ExampleData<E> data,
      List<TrainingListener> listeners,
      GrzoTrainer.Start start,
      boolean allowChangedConfig,
      String command) {
    this.config = config;
    this.start = start;
    TrainerHooks hooks = hooks(listeners);
    this.trainer =
        data == null
            ? new GrzoTrainer(config, command, hooks, allowChangedConfig)
            : new GrzoTrainer(config, data, command, hooks, allowChangedConfig);
  }

  /**
   * The run a resolved YAML config describes (its MeZO task), as {@code attune grzo train} runs it:
   * {@code command} goes into the run record.
   */
  public static ZerothOrderTraining<Object> fromConfig(
      GrzoTrainConfig config,
      String command,
      GrzoTrainer.Start start,
      boolean allowChangedConfig,
      TrainingListener... listeners) {
    return new ZerothOrderTraining<>(
        config, null, List.of(listeners), start, allowChangedConfig, command);
  }

  /** A builder of a run over examples of type {@code E}. */
  public static <E> Builder<E> builder() {
    return new Builder<>();
  }

  /**
   * Trains (a fresh run, or the rest of a run whose checkpoint is in the output folder, or nothing
   * when that run is complete) and keeps the trained model loaded.
   *
   * @return the steps run, the evaluations before and after, and the run's files
   * @throws IllegalStateException when called a second time
   */
  public TrainResult train() {
    if (result != null) {
      throw new IllegalStateException("train() was already called on this run");
    }
    try {
      result = trainer.runKeepingModel(start);
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("run folder " + config.output().dir() + ": " + e, e);
    }
  }

  /** The trained model (after {@link #train()}), until {@link #close()}. */
  public LanguageModel model() {
    return trainer.model();
  }

  /** The model's tokenizer (after {@link #train()}). */
  public TextTokenizer tokenizer() {
    return trainer.tokenizer();
  }

  /** The resolved config of the run (as written to its {@code config.yaml}). */
  public GrzoTrainConfig config() {
    return config;
  }

  /**
   * Writes the trained model as an HF checkpoint folder at {@code dir} (replacing it): {@code
   * model.safetensors} with every parameter by its HF name, and the base folder's {@code
   * config.json}, tokenizer and generation files, so HF's {@code from_pretrained} and {@code
   * Models.load} both read it.
   */
  public void save(Path dir) {
    try {
      AtomicFiles.writeDirectory(
          dir,
          tmp ->
              HfExport.write(
                  trainer.model(), Path.of(config.model().dir()), tmp, Map.of("format", "pt")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the model to " + dir + ": " + e, e);
    }
  }

  /** Frees the model. */
  @Override
  public void close() {
    trainer.close();
  }

  private static TrainerHooks hooks(List<TrainingListener> listeners) {
    List<TrainingListener> all = List.copyOf(listeners);
    return new TrainerHooks() {
      @Override
      public void afterStep(ZoStep r, double lossAverage) {
        TrainingListener.StepInfo info =
            new TrainingListener.StepInfo(
                r.step(), r.loss(), lossAverage, r.learningRate(), meanAbs(r.coefficients()));
        all.forEach(l -> l.onStep(info));
      }

      @Override
      public void afterEvaluation(long step, String split, EvalMetrics metrics) {
        all.forEach(l -> l.onEvaluation(step, split, metrics));
      }

      @Override
      public void afterCheckpoint(long step, Path dir) {
        all.forEach(l -> l.onCheckpoint(step, dir));
      }

      @Override
      public BatchLoss wrapLoss(long step, BatchLoss loss) {
        return loss;
      }
    };
  }

  private static double meanAbs(double[] values) {
    double s = 0;
    for (double v : values) {
      s += Math.abs(v);
    }
    return values.length == 0 ? Double.NaN : s / values.length;
  }

  /** Binds a settings tree laid over the CLI's defaults; errors name the config field. */
  static GrzoTrainConfig bind(ObjectNode tree) {
    return ConfigYaml.bind("ZerothOrderTraining.Builder", tree, GrzoTrainConfig.class);
  }

  /**
   * Collects the settings of a run. Required: {@link #setModel}, {@link #setOutputDir}, {@link
   * #setLearningRate}, and either the user's data ({@link #setExamples}, {@link #setEncoder},
   * {@link #setLoss}) or a MeZO task ({@link #setTask}). Every optional setting defaults to the
   * YAML config's default (docs/grzo.md); each names its config field, which errors name.
   *
   * @param <E> the type of the user's examples
   */
  public static final class Builder<E> {
    private final ObjectNode tree = GrzoTrainConfig.defaults();
    private final List<TrainingListener> listeners = new ArrayList<>();
    private List<E> train;
    private List<E> dev;
    private List<E> test = List.of();
    private ExampleEncoder<E> encoder;
    private ExampleLoss<E> loss;
    private boolean task;
    private GrzoTrainer.Start start = GrzoTrainer.Start.AUTO;
    private boolean allowChangedConfig;

    Builder() {}

    private ObjectNode section(String name) {
      return (ObjectNode) tree.get(name);
    }

    /** The HF checkpoint folder to fine-tune ({@code model.dir}). */
    public Builder<E> setModel(Path dir) {
      section("model").put("dir", absolute(dir));
      return this;
    }

    /** The folder the run writes its logs, checkpoint and plot to ({@code output.dir}). */
    public Builder<E> setOutputDir(Path dir) {
      section("output").put("dir", absolute(dir));
      return this;
    }

    /** The learning rate η ({@code optimizer.lr}). */
    public Builder<E> setLearningRate(double lr) {
      section("optimizer").put("lr", lr);
      return this;
    }

    /**
     * The user's training and dev examples; the dev examples are evaluated (mean loss) before
     * training, every {@link #optEvalEvery} steps and at the end.
     */
    public Builder<E> setExamples(List<E> train, List<E> dev) {
      this.train = List.copyOf(train);
      this.dev = List.copyOf(dev);
      return this;
    }

    /** How each example becomes a row of token ids. */
    public Builder<E> setEncoder(ExampleEncoder<E> encoder) {
      this.encoder = encoder;
      return this;
    }

    /** The per-example loss the optimizer lowers. */
    public Builder<E> setLoss(ExampleLoss<E> loss) {
      this.loss = loss;
      return this;
    }

    /**
     * One of the MeZO tasks ({@code sst2}, {@code rte}, ..., grzo.md §4) read from JSONL files,
     * instead of examples from code ({@code task.name}, {@code task.train}, {@code task.dev}).
     */
    public Builder<E> setTask(String name, Path trainFile, Path devFile) {
      ObjectNode t = section("task");
      t.put("name", name).put("train", absolute(trainFile)).put("dev", absolute(devFile));
      task = true;
      return this;
    }

    /** Examples evaluated only before and after training (instead of dev). */
    public Builder<E> optTestExamples(List<E> test) {
      this.test = List.copyOf(test);
      return this;
    }

    /** {@code mezo} or {@code grzo} (default) ({@code optimizer.name}). */
    public Builder<E> optOptimizer(OptimizerName name) {
      section("optimizer").put("name", lower(name));
      return this;
    }

    /** A drop-in variant (default {@link Variant#none()}) ({@code optimizer.variant}). */
    public Builder<E> optVariant(Variant variant) {
      variant.writeTo((ObjectNode) section("optimizer").get("variant"));
      return this;
    }

    /** The perturbation scale σ (default 1e-3) ({@code optimizer.sigma}). */
    public Builder<E> optSigma(double sigma) {
      section("optimizer").put("sigma", sigma);
      return this;
    }

    /** The learning-rate schedule (default constant) ({@code optimizer.schedule}). */
    public Builder<E> optSchedule(LrSchedule schedule) {
      section("optimizer").put("schedule", lower(schedule));
      return this;
    }

    /** GRZO's coefficients (default two_norm) ({@code optimizer.estimator}). */
    public Builder<E> optEstimator(EstimatorMode estimator) {
      section("optimizer").put("estimator", lower(estimator));
      return this;
    }

    /**
     * GRZO: one fused 2B-row pass for + and − ({@code optimizer.fused}; default: fused for the
     * estimators with a − pass, {@code two_norm} and {@code two}).
     */
    public Builder<E> optFused(boolean fused) {
      section("optimizer").put("fused", fused);
      return this;
    }

    /** GRZO: the layer kinds perturbed (default all three) ({@code optimizer.kinds}). */
    public Builder<E> optKinds(PerturbationKind... kinds) {
      ArrayNode a = section("optimizer").putArray("kinds");
      for (PerturbationKind k : kinds) {
        a.add(lower(k));
      }
      return this;
    }

    /** The number of steps (default 20000) ({@code train.steps}). */
    public Builder<E> optSteps(int steps) {
      section("train").put("steps", steps);
      return this;
    }

    /** Examples per step (default 16) ({@code train.batch_size}). */
    public Builder<E> optBatchSize(int batchSize) {
      section("train").put("batch_size", batchSize);
      return this;
    }

    /** The run seed (default 42) ({@code train.seed}). */
    public Builder<E> optSeed(long seed) {
      section("train").put("seed", seed);
      return this;
    }

    /** Evaluate dev every this many steps, 0 = before and after only ({@code train.eval_every}). */
    public Builder<E> optEvalEvery(int steps) {
      section("train").put("eval_every", steps);
      return this;
    }

    /** Examples per evaluation forward (default 32) ({@code train.eval_batch_size}). */
    public Builder<E> optEvalBatchSize(int examples) {
      section("train").put("eval_batch_size", examples);
      return this;
    }

    /** Checkpoint every this many steps, 0 = at the end only ({@code train.checkpoint_every}). */
    public Builder<E> optCheckpointEvery(int steps) {
      section("train").put("checkpoint_every", steps);
      return this;
    }

    /** A progress line every this many steps (default 10) ({@code train.log_every}). */
    public Builder<E> optLogEvery(int steps) {
      section("train").put("log_every", steps);
      return this;
    }

    /** Stop (default) or skip at a non-finite loss ({@code train.nan_policy}). */
    public Builder<E> optNanPolicy(NanPolicy policy) {
      section("train").put("nan_policy", lower(policy));
      return this;
    }

    /** The compute device (default auto) ({@code model.device}). */
    public Builder<E> optDevice(DevicePolicy device) {
      section("model").put("device", lower(device));
      return this;
    }

    /** The compute type, float32 (default) or float16 ({@code model.dtype}). */
    public Builder<E> optDtype(String dtype) {
      section("model").put("dtype", dtype);
      return this;
    }

    /** Whether to draw {@code loss.png} at the end (default true) ({@code output.plot}). */
    public Builder<E> optPlot(boolean plot) {
      section("output").put("plot", plot);
      return this;
    }

    /** Adds a listener (called in the order added). */
    public Builder<E> optListener(TrainingListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** How to treat an output folder that holds a checkpoint (default: resume it). */
    public Builder<E> optStart(GrzoTrainer.Start start) {
      this.start = Objects.requireNonNull(start, "start");
      return this;
    }

    /** Resume even when the settings change the run's trajectory (logged as a warning). */
    public Builder<E> optAllowChangedConfig(boolean allow) {
      this.allowChangedConfig = allow;
      return this;
    }

    /**
     * Checks every setting (errors name the config field) and builds the run; loads nothing.
     *
     * @throws IllegalStateException when a required setting is missing
     */
    public ZerothOrderTraining<E> build() {
      boolean examples = train != null || encoder != null || loss != null;
      if (task == examples) {
        throw new IllegalStateException(
            task
                ? "setTask and setExamples/setEncoder/setLoss exclude each other: pick one"
                : "no data: call setExamples, setEncoder and setLoss (or setTask)");
      }
      if (examples) {
        require(train != null, "setExamples");
        require(encoder != null, "setEncoder");
        require(loss != null, "setLoss");
        if (train.isEmpty() || dev.isEmpty()) {
          throw new IllegalArgumentException(
              "setExamples: got "
                  + train.size()
                  + " training and "
                  + dev.size()
                  + " dev examples;"
                  + " both need at least one");
        }
        tree.putNull("task");
      }
      require(section("model").has("dir"), "setModel");
      require(section("output").has("dir"), "setOutputDir");
      require(section("optimizer").has("lr"), "setLearningRate");
      GrzoTrainConfig config = bind(tree.deepCopy());
      ExampleData<E> data = examples ? new ExampleData<>(train, dev, test, encoder, loss) : null;
      return new ZerothOrderTraining<>(
          config, data, listeners, start, allowChangedConfig, "ZerothOrderTraining");
    }

    private static void require(boolean present, String setter) {
      if (!present) {
        throw new IllegalStateException(setter + " is required and was not called");
      }
    }

    private static String absolute(Path p) {
      return p.toAbsolutePath().normalize().toString();
    }

    private static String lower(Enum<?> e) {
      return e.name().toLowerCase(Locale.ROOT);
    }
  }
}
