package ai.attune.grzo.train;

import ai.attune.core.run.RunFolder;
import ai.attune.core.run.TrainerState;
import ai.attune.grzo.replay.SeedLog;
import ai.attune.models.LanguageModel;
import ai.attune.models.text.TextTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fine-tunes a model with MeZO or GRZO as a {@link GrzoTrainConfig} says, writing to its {@code
 * output.dir}, a {@link RunFolder}: {@code metrics.jsonl}, {@code seed_log.jsonl}, {@code
 * checkpoints/step-<n>/} (every {@code train.checkpoint_every} steps and at the end; each an HF
 * model folder plus the trainer's state), {@code run.json}, {@code config.yaml} and {@code
 * loss.png}.
 *
 * <p>Lifecycle: build with the config, then {@link #run} once. A run is a pure function of its
 * config: step {@code t} draws its noise from {@code derive(seed, t)} and its batch from the seed
 * and {@code t} alone, and the optimizers keep no state, so a run resumed from a checkpoint ends
 * with the same weights, bit for bit, as one that was never interrupted.
 *
 * <p>Starting ({@link Start}): by default a folder that holds a checkpoint is resumed, after
 * checking that the config describes the same run: only the evaluation, logging and checkpoint
 * periods, the {@code output} section and, under a constant learning rate, {@code train.steps} may
 * differ (a decaying schedule depends on the total). Any other change would make the resumed run
 * differ from an uninterrupted one and is refused, naming the field, unless the trainer was told to
 * allow it ({@code --allow-changed-config}), in which case the change is logged as a warning. A
 * folder whose run is complete is reported, not retrained; a folder whose previous run stopped
 * before its first checkpoint starts again from step 0, and says so.
 *
 * <p>What a run learns from is its {@link TrainingData}: the config's MeZO task by default, or
 * examples and a loss supplied in code (the public API, {@code ai.attune.grzo.api}). {@link #run}
 * frees the model when it returns; {@link #runKeepingModel} keeps it (for saving, evaluating or
 * generating afterwards) until {@link #close}.
 */
public final class GrzoTrainer implements AutoCloseable {
  /** The number of steps the moving average of the training loss spans. */
  public static final int LOSS_WINDOW = 10;

  /** The train/eval loss plot written at the end of a run. */
  public static final String PLOT = "loss.png";

  /** The logs of a run folder besides its checkpoints (what a fresh start deletes). */
  public static final List<String> LOGS = List.of(RunFolder.METRICS, SeedLog.FILE, PLOT);

  private static final Logger LOG = LoggerFactory.getLogger(GrzoTrainer.class);

  /** Fields that may change between a run and its resumption. */
  private static final Map<String, Set<String>> MAY_CHANGE =
      Map.of(
          "train",
              Set.of(
                  "steps",
                  "eval_every",
                  "eval_batch_size",
                  "checkpoint_every",
                  "keep_checkpoints",
                  "log_every"),
          "output", Set.of("dir", "plot"));

  /** How a run treats an output folder that already holds a checkpoint. */
  public enum Start {
    /** Resume it when there is one, else start afresh. */
    AUTO,
    /** Resume it; fail when there is none. */
    RESUME,
    /** Delete the previous run's files and start afresh. */
    FRESH
  }

  private final GrzoTrainConfig config;
  private final String command;
  private final TrainerHooks hooks;
  private final boolean allowChangedConfig;
  private final TrainWorker worker;
  private final TrainingData data;
  private TrainingSession kept;
  private Path keptCheckpoint;
  private boolean ran;

  /**
   * @param config the resolved config
   * @param command the command line, for the run record
   * @param hooks test hooks ({@link TrainerHooks#NONE} normally)
   */
  public GrzoTrainer(GrzoTrainConfig config, String command, TrainerHooks hooks) {
    this(config, command, hooks, false);
  }

  /**
   * @param allowChangedConfig resume even when the config changes the run's trajectory (logged as a
   *     warning; the result will not equal an uninterrupted run's)
   */
  public GrzoTrainer(
      GrzoTrainConfig config, String command, TrainerHooks hooks, boolean allowChangedConfig) {
    this(config, command, hooks, allowChangedConfig, TrainWorker.SINGLE);
  }

  /**
   * A trainer that is one worker of a data-parallel run ({@code attune-spark}); a worker that does
   * not {@link TrainWorker#writesFiles() write files} returns null from {@link #run} and never
   * clears the folder.
   */
  public GrzoTrainer(
      GrzoTrainConfig config,
      String command,
      TrainerHooks hooks,
      boolean allowChangedConfig,
      TrainWorker worker) {
    this(config, null, command, hooks, allowChangedConfig, worker);
  }

  /**
   * A single-process trainer of {@code data} instead of the config's task (whose {@code task}
   * section is then null).
   */
  public GrzoTrainer(
      GrzoTrainConfig config,
      TrainingData data,
      String command,
      TrainerHooks hooks,
      boolean allowChangedConfig) {
    this(config, data, command, hooks, allowChangedConfig, TrainWorker.SINGLE);
  }

  private GrzoTrainer(
      GrzoTrainConfig config,
      TrainingData data,
      String command,
      TrainerHooks hooks,
      boolean allowChangedConfig,
      TrainWorker worker) {
    this.config = config;
    this.data = data;
    this.command = command;
    this.hooks = hooks;
    this.allowChangedConfig = allowChangedConfig;
    this.worker = worker;
  }

  /** Trains (or resumes, or reports a complete run) and returns what happened. */
  public TrainResult run(Start start) throws IOException {
    return run(start, false);
  }

  /**
   * As {@link #run}, but keeps the trained model loaded: {@link #model()} and {@link #tokenizer()}
   * give it until {@link #close}. For a run that was already complete, the first of them loads the
   * final checkpoint.
   */
  public TrainResult runKeepingModel(Start start) throws IOException {
    if (ran) {
      throw new IllegalStateException("this trainer already ran");
    }
    ran = true;
    return run(start, true);
  }

  /** The model {@link #runKeepingModel} kept. */
  public LanguageModel model() {
    return keptSession().model;
  }

  /** The tokenizer of the model {@link #runKeepingModel} kept. */
  public TextTokenizer tokenizer() {
    return keptSession().tokenizer;
  }

  private TrainingSession keptSession() {
    if (kept == null && keptCheckpoint != null) {
      kept = TrainingSession.open(config, keptCheckpoint, data());
      keptCheckpoint = null;
    }
    if (kept == null) {
      throw new IllegalStateException("no model: call runKeepingModel first (or it was closed)");
    }
    return kept;
  }

  /** Frees the model {@link #runKeepingModel} kept, if any. */
  @Override
  public void close() {
    keptCheckpoint = null;
    if (kept != null) {
      kept.close();
      kept = null;
    }
  }

  private TrainResult run(Start start, boolean keep) throws IOException {
    long t0 = System.nanoTime();
    RunFolder files = new RunFolder(Path.of(config.output().dir()));
    files.requireUsable("output.dir");
    if (start == Start.FRESH && worker.writesFiles()) {
      files.clear(LOGS);
    }
    Path checkpoint = files.latestCheckpoint().orElse(null);
    boolean resume = checkpoint != null;
    if (start == Start.RESUME && !resume) {
      throw new IllegalStateException(
          "nothing to resume: " + files.dir() + " holds no complete checkpoint");
    }
    if (!resume && files.hasRun(LOGS)) {
      LOG.warn(
          "{} holds the logs of a run that stopped before its first checkpoint: starting"
              + " again from step 0 (its logs are replaced)",
          files.dir());
    }
    TrainerState saved = null;
    if (resume) {
      String change = changedTrajectory(config, checkpoint.resolve(RunFolder.CONFIG));
      if (change != null && !allowChangedConfig) {
        throw new IllegalArgumentException(
            change
                + ": start afresh in another output.dir,"
                + " with --fresh to replace the old run, or pass --allow-changed-config to continue"
                + " this run with the new setting");
      }
      if (change != null) {
        LOG.warn(
            "{}; continuing with the new setting as --allow-changed-config asks: the run"
                + " will not equal an uninterrupted one",
            change);
      }
      saved = TrainerState.read(checkpoint);
      LoopState loop = saved.loop(LoopState.class);
      if (loop.finished()
          && (loop.targetReachedAt() > 0 || saved.step() >= config.train().steps())) {
        if (keep) {
          keptCheckpoint = checkpoint;
        }
        boolean hasTest =
            data != null ? data.hasTest() : config.task() != null && config.task().test() != null;
        return worker.writesFiles() ? complete(saved, checkpoint, files, hasTest, t0) : null;
      }
      if (saved.step() > config.train().steps()) {
        throw new IllegalArgumentException(
            "train.steps is "
                + config.train().steps()
                + " but the checkpoint in "
                + checkpoint
                + " is already at step "
                + saved.step()
                + ": a run cannot be resumed to fewer steps than it has done");
      }
      LOG.info("resuming {} at step {} of {}", files.dir(), saved.step(), config.train().steps());
    }
    Path weights = resume ? checkpoint : Path.of(config.model().dir());
    TrainingSession session = TrainingSession.open(config, weights, data());
    try {
      TrainResult result =
          new TrainLoop(config, session, files, hooks, command, saved, worker).run(t0);
      if (keep) {
        kept = session;
        session = null;
      }
      return result;
    } finally {
      if (session != null) {
        session.close();
      }
    }
  }

  /** The run's data: the one given, else the config's task, read now. */
  private TrainingData data() {
    return data != null ? data : TaskData.load(config);
  }

  private TrainResult complete(
      TrainerState s, Path checkpoint, RunFolder files, boolean hasTest, long t0) {
    LOG.info("{} already holds the complete run (step {})", files.dir(), s.step());
    LoopState loop = s.loop(LoopState.class);
    return new TrainResult(
        s.step(),
        config.train().steps(),
        true,
        loop.targetReachedAt(),
        loop.skippedSteps(),
        hasTest ? "test" : "dev",
        loop.before(),
        loop.after(),
        files,
        checkpoint,
        Files.isRegularFile(files.file(PLOT)),
        (System.nanoTime() - t0) / 1e9);
  }

  /**
   * What in {@code config} would change the trajectory of the run whose resolved config is {@code
   * savedFile}, in words, or null when nothing does.
   */
  static String changedTrajectory(GrzoTrainConfig config, Path savedFile) {
    GrzoTrainConfig before = GrzoTrainConfig.read(savedFile);
    if (before.train().steps() != config.train().steps()
        && config.optimizer().schedule() != LrSchedule.CONSTANT) {
      return "train.steps changed from "
          + before.train().steps()
          + " to "
          + config.train().steps()
          + " while resuming ("
          + savedFile
          + "), and the "
          + config.optimizer().schedule().toString().toLowerCase(java.util.Locale.ROOT)
          + " learning-rate schedule depends on it: every later step's rate would change";
    }
    ObjectNode saved = before.toTree();
    ObjectNode now = config.toTree();
    for (Map.Entry<String, Set<String>> e : MAY_CHANGE.entrySet()) {
      for (String field : e.getValue()) {
        ((ObjectNode) saved.get(e.getKey())).remove(field);
        ((ObjectNode) now.get(e.getKey())).remove(field);
      }
    }
    String diff = firstDifference("", saved, now);
    return diff == null
        ? null
        : "the config differs from that of the run being resumed (" + savedFile + ") at " + diff;
  }

  private static String firstDifference(String path, JsonNode a, JsonNode b) {
    if (a.isObject() && b.isObject()) {
      Iterator<String> names = a.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        String p = path.isEmpty() ? name : path + "." + name;
        JsonNode other = b.get(name);
        String d = other == null ? p : firstDifference(p, a.get(name), other);
        if (d != null) {
          return d;
        }
      }
      return a.size() == b.size() ? null : path;
    }
    return a.equals(b) ? null : path + " (was " + a + ", now " + b + ")";
  }
}
