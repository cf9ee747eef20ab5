package ai.attune.iapo.train;

import ai.attune.core.device.Engines;
import ai.attune.core.optim.AdamW;
import ai.attune.core.run.AtomicFiles;
import ai.attune.core.run.MetricsWriter;
import ai.attune.core.run.ProgressLog;
import ai.attune.core.run.RunFolder;
import ai.attune.core.run.RunRecord;
import ai.attune.core.run.TrainerState;
import ai.attune.iapo.data.VqaExample;
import ai.attune.iapo.reward.RewardSet;
import ai.attune.iapo.tools.ToolRegistry;
import ai.attune.iapo.warmstart.Demonstrations;
import ai.attune.models.HfExport;
import ai.attune.models.adapters.Lora;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs IAPO as an {@link IapoTrainConfig} describes it: an optional supervised warm start, then
 * {@code train.steps} {@link IapoStep}s, with metrics per step ({@code metrics.jsonl}), periodic
 * evaluation ({@code eval.jsonl}, rollout samples under {@code rollouts/step-<n>/}), atomic
 * checkpoints, plots, a progress line per step, and at the end the trained student as an HF folder
 * ({@code final/}, LoRA adapters merged in) that {@code iapo eval --model} reads.
 *
 * <p>Lifecycle: the constructor reads the datasets (failing fast on a bad file) and loads the
 * models under its own manager on {@code student.device}; {@link #train} runs (a fresh run, or a
 * resume from the newest checkpoint, which ends with the weights an uninterrupted run would have:
 * every random stream of a step derives from the seed and the step); {@link #close()} frees
 * everything. A non-finite loss stops the run with a {@link NonFiniteLossException} naming the
 * step, before that step changes anything, so the last checkpoint stays intact.
 */
public final class IapoTrainer implements AutoCloseable {
  /** The evaluation log of a run folder: one line per evaluation set and evaluation. */
  public static final String EVAL = "eval.jsonl";

  /** The folder of the training curves. */
  public static final String PLOTS = "plots";

  /** The trained student, an HF folder, written at the end. */
  public static final String FINAL = "final";

  /** The warm start's summary (its losses). */
  public static final String WARM_START = "warm_start.json";

  /** The logs of a run folder besides its checkpoints. */
  static final List<String> LOGS = List.of(RunFolder.METRICS, EVAL);

  private static final Logger LOG = LoggerFactory.getLogger(IapoTrainer.class);

  /**
   * The parts of a run that are code rather than config: the tools rollouts may call, the reward
   * functions that score them, and the calls the warm start's demonstrations make. {@link #of}
   * gives the config's own (its {@code rollout.tools}, its {@code rewards} weights, {@link
   * Demonstrations#DEFAULT_CALLS}); the public API ({@code ai.attune.iapo.api}) adds the user's.
   * They are not part of the config, so a resume cannot check them: resume with the same ones.
   *
   * @param tools every tool rollouts, evaluations and demonstrations may call
   * @param rewards the outcome reward r_out
   * @param demonstrationCalls the tool call of each warm-start demonstration
   */
  public record Components(
      ToolRegistry tools, RewardSet rewards, Demonstrations.CallChooser demonstrationCalls) {
    public Components {
      Objects.requireNonNull(tools, "tools");
      Objects.requireNonNull(rewards, "rewards");
      Objects.requireNonNull(demonstrationCalls, "demonstrationCalls");
    }

    /** The components {@code config} describes. */
    public static Components of(IapoTrainConfig config) {
      return new Components(
          config.rollout().registry(),
          config.rewards().toRewardSet(),
          Demonstrations.DEFAULT_CALLS);
    }
  }

  /** Called after each step's metrics are logged. */
  public interface StepListener {
    void afterStep(StepResult result);
  }

  /**
   * What a call of {@link #train} did.
   *
   * @param firstStep the first step it ran (1 for a fresh run)
   * @param lastStep the last step it ran
   * @param warmStartLosses the warm start's loss per step; empty when there was none
   * @param lastEval the last evaluation's results per set; empty when none ran
   */
  public record TrainResult(
      long firstStep,
      long lastStep,
      double[] warmStartLosses,
      Map<String, EvalSetResult> lastEval) {}

  private final IapoTrainConfig config;
  private final NDManager root;
  private final TrainingModels models;
  private final List<VqaExample> train;
  private final Map<String, List<VqaExample>> evalSets;
  private final Components components;
  private StepListener listener = r -> {};

  public IapoTrainer(IapoTrainConfig config) {
    this(config, Components.of(config));
  }

  /** A trainer whose tools, rewards and demonstrations are {@code components}. */
  public IapoTrainer(IapoTrainConfig config, Components components) {
    this.config = config;
    this.components = Objects.requireNonNull(components, "components");
    List<String> missing = config.missingPaths();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "the config names files or folders that do not exist: " + String.join("; ", missing));
    }
    this.train = config.data().loadTrain();
    this.evalSets = config.data().loadEval();
    this.root = Engines.newManager(config.student().device());
    try {
      RunMemoryPlan.requireFits(config, root.getDevice());
      this.models = TrainingModels.load(config, root);
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }

  /** Sets the listener called after each step. */
  public IapoTrainer onStep(StepListener l) {
    this.listener = l;
    return this;
  }

  public TrainingModels models() {
    return models;
  }

  public IapoTrainConfig config() {
    return config;
  }

  /**
   * Trains. With {@code resume}, continues from the newest checkpoint in {@code output.dir}
   * (starting afresh from step 0, and saying so, when there is none); without, refuses a folder
   * that already holds a run. A resume refuses a config that would change the run's trajectory.
   */
  public TrainResult train(boolean resume) {
    return train(resume, false);
  }

  /**
   * As {@link #train(boolean)}; with {@code allowChangedConfig}, a resume continues even when the
   * config changes the trajectory (logged as a warning). A run that already finished (its newest
   * checkpoint is of the last step) is reported and left as it is: the result's {@code firstStep}
   * is then past its {@code lastStep}.
   */
  public TrainResult train(boolean resume, boolean allowChangedConfig) {
    try {
      return run(resume, allowChangedConfig);
    } catch (IOException e) {
      throw new UncheckedIOException("run folder " + config.output().dir() + ": " + e, e);
    }
  }

  private TrainResult run(boolean resume, boolean allowChangedConfig) throws IOException {
    RunFolder files = new RunFolder(Path.of(config.output().dir()));
    files.requireUsable("output.dir");
    if (!resume && files.hasRun(LOGS)) {
      throw new IllegalStateException(
          "output.dir "
              + files.dir()
              + " already holds a run;"
              + " resume it (--resume) or choose another output.dir");
    }
    Files.createDirectories(files.dir());
    Optional<Path> checkpoint = resume ? files.latestCheckpoint() : Optional.empty();
    if (resume && checkpoint.isEmpty()) {
      LOG.warn(
          "{} holds no checkpoint{}: starting from step 0",
          files.dir(),
          files.hasRun(LOGS)
              ? " (the previous run stopped before its first one; its logs are replaced)"
              : "");
    }
    if (checkpoint.isPresent()) {
      TrainerState last = TrainerState.read(checkpoint.get());
      if (last.step() >= config.train().steps()) {
        LOG.info(
            "{} holds a finished run (step {} of {}); nothing to train, {} is left as it"
                + " is (raise train.steps or --steps to continue it)",
            files.dir(),
            last.step(),
            config.train().steps(),
            files.file(FINAL));
        return new TrainResult(last.step() + 1, last.step(), new double[0], Map.of());
      }
      String change = ResumeCheck.changedTrajectory(config, checkpoint.get());
      if (change != null && !allowChangedConfig) {
        throw new IllegalArgumentException(
            change
                + ": start afresh in another output.dir, or"
                + " pass --allow-changed-config to continue this run with the new setting");
      }
      if (change != null) {
        LOG.warn(
            "{}; continuing with the new setting as --allow-changed-config asks: the run"
                + " will not equal an uninterrupted one",
            change);
      }
    }
    RunRecord record =
        RunRecord.capture(
            resume ? "iapo train --resume" : "iapo train",
            config.toTree(),
            config.train().seed(),
            root.getDevice().toString(),
            RunRecord.describe(Engines.pytorch()));
    record =
        record
            .withExtra("tools", components.tools().names())
            .withExtra("rewards", components.rewards().names());
    files.writeRunFiles(config.toYaml(), record);
    double[] warm =
        checkpoint.isEmpty()
            ? WarmStart.run(
                config,
                models,
                train,
                files,
                root,
                components.tools(),
                components.demonstrationCalls())
            : new double[0];
    try (AdamW optimizer = AdamW.overTrainable(models.student().parameters(), config.optim())) {
      // a fresh start counts no lines, so the logs of a run that stopped before its first
      // checkpoint are cut to nothing rather than appended to
      TrainerState state =
          new TrainerState(0, config.train().seed(), Map.of(RunFolder.METRICS, 0L, EVAL, 0L), null);
      if (checkpoint.isPresent()) {
        state = TrainableCheckpoint.restore(checkpoint.get(), models, optimizer);
        if (state.seed() != config.train().seed()) {
          throw new IllegalStateException(
              "checkpoint "
                  + checkpoint.get()
                  + " was written with"
                  + " train.seed "
                  + state.seed()
                  + ", the config has "
                  + config.train().seed());
        }
        LOG.info("resuming from {} (step {})", checkpoint.get(), state.step());
      }
      files.cutLogs(state);
      return loop(files, record, optimizer, state, warm);
    }
  }

  private TrainResult loop(
      RunFolder files, RunRecord record, AdamW optimizer, TrainerState state, double[] warm)
      throws IOException {
    TrainSection t = config.train();
    IapoStep stepper =
        new IapoStep(models, config, optimizer, components.tools(), components.rewards());
    PromptOrder order = new PromptOrder(train, t.promptsPerStep(), config.data().shuffleSeed());
    Evaluator evaluator =
        new Evaluator(
            models.student(),
            models.tokenizer(),
            models.processor(),
            components.tools(),
            config.rollout().evaluation(),
            config.rewards().judge(),
            config.train().seed());
    long metricsLines = state.lines(RunFolder.METRICS);
    long evalLines = state.lines(EVAL);
    Map<String, EvalSetResult> lastEval = Map.of();
    ProgressLog progress = new ProgressLog("iapo step", t.steps(), 1).resumedAt(state.step());
    try (MetricsWriter metrics = MetricsWriter.open(files.metrics(), true);
        MetricsWriter evals = MetricsWriter.open(files.file(EVAL), true)) {
      for (long s = state.step() + 1; s <= t.steps(); s++) {
        StepResult r = stepper.run(s, order.batch(s), root);
        metrics.log(s, r.metrics());
        metricsLines++;
        progress.update(s, progressFields(r));
        listener.afterStep(r);
        boolean last = s == t.steps();
        boolean checkpointDue = last || (t.checkpointEvery() > 0 && s % t.checkpointEvery() == 0);
        if (!evalSets.isEmpty() && (last || (t.evalEvery() > 0 && s % t.evalEvery() == 0))) {
          LOG.info("step {}: evaluating on {}", s, describe(evalSets));
          lastEval = evaluator.run(evalSets, t.samplesPerEval(), rollouts(files, s), root);
          for (EvalSetResult e : lastEval.values()) {
            evals.log(s, e.metrics());
            evalLines++;
          }
        } else if (evalSets.isEmpty() && checkpointDue && t.samplesPerEval() > 0) {
          RolloutSamples.write(
              rollouts(files, s),
              r.rollouts().subList(0, Math.min(t.samplesPerEval(), r.rollouts().size())),
              train);
        }
        if (checkpointDue) {
          long step = s;
          TrainerState now =
              new TrainerState(
                  s, t.seed(), Map.of(RunFolder.METRICS, metricsLines, EVAL, evalLines), null);
          files.writeCheckpoint(
              now,
              config.toYaml(),
              record,
              t.keepCheckpoints(),
              dir -> TrainableCheckpoint.fill(dir, step, models, optimizer, config));
          if (config.output().plots()) {
            Plots.write(files.metrics(), files.file(EVAL), files.file(PLOTS));
          }
        }
      }
    }
    progress.finish();
    if (config.output().finalModel()) {
      LOG.info(
          "writing the trained student to {}{}",
          files.file(FINAL),
          models.lora() != null ? " (LoRA adapters merged in)" : "");
      writeFinal(files.file(FINAL));
    }
    return new TrainResult(state.step() + 1, t.steps(), warm, lastEval);
  }

  /** Where step {@code step}'s sample rollouts are written. */
  static Path rollouts(RunFolder files, long step) {
    return files.file("rollouts").resolve("step-" + step);
  }

  /**
   * Writes the student as it is now as an HF folder at {@code dir} (LoRA adapters merged into the
   * written weights, the student left as it was), replacing the folder.
   */
  public void saveStudent(Path dir) {
    try {
      writeFinal(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the student to " + dir + ": " + e, e);
    }
  }

  /** The trained student as an HF folder (LoRA adapters merged into it). */
  private void writeFinal(Path dir) throws IOException {
    Lora lora = models.lora();
    if (lora != null) {
      lora.merge();
    }
    try {
      AtomicFiles.writeDirectory(
          dir, tmp -> HfExport.write(models.student(), Path.of(config.student().dir()), tmp));
    } finally {
      if (lora != null) {
        lora.unmerge();
      }
    }
    LOG.info("wrote the trained student to {}", dir);
  }

  private static String describe(Map<String, List<VqaExample>> sets) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, List<VqaExample>> e : sets.entrySet()) {
      sb.append(sb.length() == 0 ? "" : ", ")
          .append(e.getKey())
          .append(" (")
          .append(e.getValue().size())
          .append(" examples)");
    }
    return sb.toString();
  }

  private static Map<String, Object> progressFields(StepResult r) {
    Map<String, Object> f = new LinkedHashMap<>();
    for (String k : List.of("reward", "attribution_kl", "tool_call_rate", "loss")) {
      f.put(k, r.metric(k));
    }
    return f;
  }

  /**
   * Arrays alive under the trainer's manager: the models' parameters and, while training, the
   * optimizer's state. Constant from step to step (a leak check).
   */
  public int liveArrays() {
    return root.getManagedArrays().size();
  }

  @Override
  public void close() {
    models.close();
    root.close();
  }
}
