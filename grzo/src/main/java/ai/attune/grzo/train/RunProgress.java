package ai.attune.grzo.train;

import ai.attune.grzo.tasks.EvalMetrics;
import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * The mutable counters of a run in progress; a {@link TrainerState} is a snapshot of them taken at
 * each checkpoint, and a resumed run starts from that snapshot.
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
  static RunProgress of(TrainerState s) {
    RunProgress p = new RunProgress();
    p.step = s.step();
    p.seedLogLines = s.seedLogLines();
    p.metricsLines = s.metricsLines();
    p.recentLosses.addAll(s.recentLosses());
    p.skippedSteps = s.skippedSteps();
    p.before = s.before();
    p.bestDevMetric = s.bestDevMetric();
    p.bestDevStep = s.bestDevStep();
    p.lastCheckpoint = s.step();
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
    return new TrainerState(
        step,
        steps,
        seed,
        seedLogLines,
        metricsLines,
        new ArrayList<>(recentLosses),
        skippedSteps,
        before,
        after,
        bestDevMetric,
        bestDevStep,
        finished,
        targetReachedAt);
  }
}
