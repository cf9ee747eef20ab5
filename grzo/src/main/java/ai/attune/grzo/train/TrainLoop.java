package ai.attune.grzo.train;

import ai.attune.core.noise.SeededNoise;
import ai.attune.core.run.MetricsWriter;
import ai.attune.core.run.ProgressLog;
import ai.attune.core.run.RunFolder;
import ai.attune.core.run.RunRecord;
import ai.attune.core.run.TrainerState;
import ai.attune.grzo.optim.ZerothOrderOptimizer;
import ai.attune.grzo.optim.ZoStep;
import ai.attune.grzo.replay.SeedLog;
import ai.attune.grzo.tasks.EvalMetrics;
import ai.attune.models.HfExport;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One invocation of the training loop over an open {@link TrainingSession}: from step 1, or from
 * the step after a checkpoint, to {@code train.steps} (or the target loss), with evaluations,
 * checkpoints, the metrics and seed logs, and at the end the final evaluation, checkpoint and plot.
 * Package-private: {@link GrzoTrainer} decides where to start and builds it.
 */
final class TrainLoop {
  private static final Logger LOG = LoggerFactory.getLogger(TrainLoop.class);

  private final GrzoTrainConfig config;
  private final TrainSection train;
  private final TrainingSession session;
  private final RunFolder files;
  private final Path seedLog;
  private final TrainerHooks hooks;
  private final TrainWorker worker;
  private final ZerothOrderOptimizer optimizer;
  private final BatchOrder order;
  private final RunRecord record;
  private final RunProgress p;
  private final TrainerState saved;
  private Path lastCheckpoint;

  TrainLoop(
      GrzoTrainConfig config,
      TrainingSession session,
      RunFolder files,
      TrainerHooks hooks,
      String command,
      TrainerState saved,
      TrainWorker worker) {
    this.worker = worker;
    this.config = config;
    this.train = config.train();
    this.session = session;
    this.files = files;
    this.seedLog = files.file(SeedLog.FILE);
    this.hooks = hooks;
    this.optimizer = Optimizers.build(config.optimizer(), session.model, train.seed(), files.dir());
    this.order = new BatchOrder(session.data.trainSize(), train.batchSize(), train.seed());
    RunRecord r =
        RunRecord.capture(
            command,
            config.toTree(),
            train.seed(),
            session.root.getDevice().toString(),
            RunRecord.describe(session.root.getEngine()));
    this.record = saved == null ? r : r.withExtra("resumed_from_step", saved.step());
    this.saved = saved;
    this.p = saved == null ? new RunProgress() : RunProgress.of(saved);
    this.lastCheckpoint = saved == null ? null : files.checkpoint(saved.step());
  }

  TrainResult run(long t0) throws IOException {
    boolean resume = p.step > 0 || p.metricsLines > 0;
    if (!worker.writesFiles()) {
      loop(null);
      return null;
    }
    if (resume) {
      files.cutLogs(saved);
    }
    files.writeRunFiles(config.toYaml(), record);
    if (!resume) {
      SeedLog.create(seedLog, SeedLogReplay.header(config, session.model, session.root)).close();
      p.seedLogLines = 1;
    }
    try (MetricsWriter metrics = MetricsWriter.open(files.metrics(), resume);
        SeedLog seeds = SeedLog.open(seedLog, true)) {
      RunLogs logs = new RunLogs(metrics, seeds, p);
      if (!resume) {
        EvalMetrics dev = evaluate(logs, 0, "dev");
        p.before = session.hasTest() ? evaluate(logs, 0, "test") : dev;
      }
      loop(logs);
      finish(logs);
    }
    boolean plotted = config.output().plot();
    if (plotted) {
      LossPlot.write(
          files.metrics(),
          files.file(GrzoTrainer.PLOT),
          config.optimizer().name().toString().toLowerCase(Locale.ROOT)
              + " on "
              + session.dataName);
    }
    return new TrainResult(
        p.step,
        train.steps(),
        false,
        p.targetReachedAt,
        p.skippedSteps,
        session.finalSplitName(),
        p.before,
        p.after,
        files,
        lastCheckpoint,
        plotted,
        (System.nanoTime() - t0) / 1e9);
  }

  private void loop(RunLogs logs) throws IOException {
    long first = p.step + 1;
    ProgressLog progress =
        new ProgressLog(
                "step", train.steps(), Duration.ZERO, train.logEvery(), System::nanoTime, LOG::info)
            .resumedAt(p.step);
    for (long t = first; t <= train.steps(); t++) {
      hooks.beforeStep(t);
      double lr = config.optimizer().schedule().at(config.optimizer().lr(), t, train.steps());
      long start = System.nanoTime();
      ZoStep r = step(t, lr);
      double seconds = (System.nanoTime() - start) / 1e9;
      p.step = t;
      if (r.skipped()) {
        skipped(logs, r, t);
        continue;
      }
      double average = p.addLoss(r.loss(), GrzoTrainer.LOSS_WINDOW);
      if (logs != null) {
        logs.trainStep(r, average, seconds, train.batchSize());
        progress.update(t, Map.of("loss_avg", average, "lr", lr));
        hooks.afterStep(r, average);
        if (train.evalEvery() > 0 && t % train.evalEvery() == 0) {
          evaluate(logs, t, "dev");
        }
      }
      if (train.targetLoss() != null
          && p.recentLosses.size() == GrzoTrainer.LOSS_WINDOW
          && average <= train.targetLoss()) {
        p.targetReachedAt = t;
        LOG.info(
            "step {}: the loss average {} reached train.target_loss {}",
            t,
            average,
            train.targetLoss());
        break;
      }
      if (logs != null
          && train.checkpointEvery() > 0
          && t % train.checkpointEvery() == 0
          && t < train.steps()) {
        checkpoint();
        hooks.afterCheckpoint(t, lastCheckpoint);
      }
    }
    progress.finish();
  }

  private ZoStep step(long t, double lr) {
    try (NDManager m = session.root.newSubManager()) {
      return session.data.step(
          worker,
          optimizer,
          t,
          SeededNoise.derive(train.seed(), t),
          lr,
          order.batch(t),
          m,
          loss -> hooks.wrapLoss(t, loss));
    }
  }

  private void skipped(RunLogs logs, ZoStep r, long t) {
    p.skippedSteps++;
    if (logs != null) {
      logs.skippedStep(r);
    }
    String losses =
        "loss+ " + RunLogs.mean(r.lossPlus()) + ", loss- " + RunLogs.mean(r.lossMinus());
    if (train.nanPolicy() == NanPolicy.STOP) {
      throw new NonFiniteLossException(
          t,
          losses,
          p.lastCheckpoint,
          lastCheckpoint == null ? files.dir().toString() : lastCheckpoint.toString());
    }
    LOG.warn("step {}: non-finite loss ({}), step skipped (train.nan_policy: skip)", t, losses);
  }

  private EvalMetrics evaluate(RunLogs logs, long step, String split) {
    EvalMetrics m = session.data.evaluate(split, session.root);
    logs.eval(step, split, m);
    hooks.afterEvaluation(step, split, m);
    LOG.info(
        "step {}: {} {} {} (loss {}, {} examples)",
        step,
        split,
        m.metric(),
        String.format("%.4f", m.value()),
        String.format("%.4f", m.loss()),
        m.n());
    if (split.equals("dev") && (p.bestDevMetric == null || m.isBetterThan(p.bestDevMetric))) {
      p.bestDevMetric = m.value();
      p.bestDevStep = step;
    }
    p.lastDevEval = split.equals("dev") ? step : p.lastDevEval;
    p.lastDev = split.equals("dev") ? m : p.lastDev;
    return m;
  }

  private void finish(RunLogs logs) throws IOException {
    if (p.lastDevEval != p.step || p.lastDev == null) {
      evaluate(logs, p.step, "dev");
    }
    p.after = session.hasTest() ? evaluate(logs, p.step, "test") : p.lastDev;
    p.finished = true;
    checkpoint();
    LOG.info(
        "{} {}: {} -> {}",
        session.finalSplitName(),
        p.after.metric(),
        p.before.value(),
        p.after.value());
  }

  private void checkpoint() throws IOException {
    Path base = Path.of(config.model().dir());
    Map<String, String> metadata = Map.of("step", Long.toString(p.step));
    lastCheckpoint =
        files.writeCheckpoint(
            p.state(train.steps(), train.seed()),
            config.toYaml(),
            record,
            train.keepCheckpoints(),
            dir -> HfExport.write(session.model, base, dir, metadata));
    p.lastCheckpoint = p.step;
    LOG.info("step {}: checkpoint written to {}", p.step, lastCheckpoint);
  }
}
