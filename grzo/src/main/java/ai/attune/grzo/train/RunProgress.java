package ai.attune.grzo.train;

import ai.attune.core.run.RunFolder;
import ai.attune.core.run.TrainerState;
import ai.attune.grzo.replay.SeedLog;
import ai.attune.grzo.tasks.EvalMetrics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Map;

/**
 * The mutable counters of a run in progress; a {@link TrainerState} (with a {@link LoopState}) is a
 * snapshot of them taken at each checkpoint, and a resumed run starts from that snapshot.
 */
final class RunProgress {
  long step;
  long seedLogLines;
  long metricsLines;
  final ArrayDeque<Double> recentLosses = new ArrayDeque<>();
  long skippedSteps;
  EvalMetrics before;
  EvalMetrics after;
  Double bestDevMetric;
  long bestDevStep;
  boolean finished;
  long targetReachedAt;
  long lastCheckpoint;
  long lastDevEval = -1;
  EvalMetrics lastDev;

  /** The progress a checkpoint recorded. */
  static RunProgress of(TrainerState state) {
    LoopState s = state.loop(LoopState.class);
    RunProgress p = new RunProgress();
    p.step = state.step();
    p.seedLogLines = state.lines(SeedLog.FILE);
    p.metricsLines = state.lines(RunFolder.METRICS);
    p.recentLosses.addAll(s.recentLosses());
    p.skippedSteps = s.skippedSteps();
    p.before = s.before();
    p.bestDevMetric = s.bestDevMetric();
    p.bestDevStep = s.bestDevStep();
    p.lastCheckpoint = state.step();
    return p;
  }

  /** Adds a step's loss and returns the average over the last {@code window} losses. */
  double addLoss(double loss, int window) {
    recentLosses.addLast(loss);
    while (recentLosses.size() > window) {
      recentLosses.removeFirst();
    }
    double sum = 0;
    for (double v : recentLosses) {
      sum += v;
    }
    return sum / recentLosses.size();
  }

  /** A snapshot for a checkpoint. */
  TrainerState state(long steps, long seed) {
    return TrainerState.of(
        step,
        seed,
        Map.of(SeedLog.FILE, seedLogLines, RunFolder.METRICS, metricsLines),
        new LoopState(
            steps,
            new ArrayList<>(recentLosses),
            skippedSteps,
            before,
            after,
            bestDevMetric,
            bestDevStep,
            finished,
            targetReachedAt));
  }
}
