package ai.attune.grzo.train;

import ai.attune.core.run.MetricsWriter;
import ai.attune.grzo.optim.ZoStep;
import ai.attune.grzo.replay.SeedLog;
import ai.attune.grzo.tasks.EvalMetrics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two logs of a run and their line counts: {@code metrics.jsonl} (one line per step, skipped
 * step and evaluation, told apart by {@code event}) and the seed log (one line per step; a skipped
 * step's is restore-only).
 *
 * <p>Metric names of a {@code train} line: {@code loss} (the mean over both passes), {@code
 * loss_plus}, {@code loss_minus} (batch means; no {@code loss_minus} for one-sided estimators),
 * {@code loss_avg} (moving average over {@value GrzoTrainer#LOSS_WINDOW} steps), {@code lr}, {@code
 * mean_abs_a} (GRZO: mean |a_i|; MeZO: |g|), {@code step_time_s}, {@code examples_per_s}. An {@code
 * eval} line has {@code split}, {@code metric}, {@code value}, {@code loss} and {@code n}.
 */
final class RunLogs {
  private final MetricsWriter metrics;
  private final SeedLog seeds;
  private final RunProgress p;

  RunLogs(MetricsWriter metrics, SeedLog seeds, RunProgress p) {
    this.metrics = metrics;
    this.seeds = seeds;
    this.p = p;
  }

  void trainStep(ZoStep r, double average, double seconds, int batchSize) {
    seeds.append(r);
    p.seedLogLines++;
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("event", "train");
    v.put("loss", r.loss());
    v.put("loss_plus", mean(r.lossPlus()));
    if (r.lossMinus().length > 0) {
      v.put("loss_minus", mean(r.lossMinus()));
    }
    v.put("loss_avg", average);
    v.put("lr", r.learningRate());
    v.put("mean_abs_a", meanAbs(r.coefficients()));
    v.put("step_time_s", seconds);
    v.put("examples_per_s", batchSize / seconds);
    log(r.step(), v);
  }

  void skippedStep(ZoStep r) {
    seeds.append(r);
    p.seedLogLines++;
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("event", "skipped");
    v.put("loss_plus", mean(r.lossPlus()));
    v.put("loss_minus", mean(r.lossMinus()));
    v.put("lr", r.learningRate());
    v.put("reason", "non-finite loss");
    log(r.step(), v);
  }

  void eval(long step, String split, EvalMetrics m) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("event", "eval");
    v.put("split", split);
    v.put("metric", m.metric());
    v.put("value", m.value());
    v.put("loss", m.loss());
    v.put("n", m.n());
    log(step, v);
  }

  private void log(long step, Map<String, Object> values) {
    metrics.log(step, values);
    p.metricsLines++;
  }

  static double mean(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s / values.length;
  }

  private static double meanAbs(double[] values) {
    double s = 0;
    for (double v : values) {
      s += Math.abs(v);
    }
    return values.length == 0 ? Double.NaN : s / values.length;
  }
}
