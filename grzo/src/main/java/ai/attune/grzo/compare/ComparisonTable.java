package ai.attune.grzo.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The outcome of a comparison as Markdown: one row per optimizer and learning rate with medians and
 * the spread (min–max) over the seeds, then, for each optimizer, its tuned learning rate (the
 * lowest median steps to the dev-accuracy target; ties go to the higher median final dev accuracy)
 * with every seed's steps. A run that never reached a target counts as never (∞) in the medians and
 * shows as {@code >steps}.
 */
public final class ComparisonTable {
  private ComparisonTable() {}

  /** The Markdown table of {@code outcomes}. */
  public static String format(CompareConfig c, List<RunOutcome> outcomes) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "Learning-rate grid (both optimizers): %s; seeds %s;"
                + " %d steps; targets: training-loss average <= %s, dev accuracy >= %s (evaluated every"
                + " %d steps).%n%n",
            c.lrs(),
            c.seeds(),
            c.steps(),
            c.targetLoss(),
            c.targetDevAccuracy(),
            c.evalEvery()));
    s.append(
        "| optimizer | lr | reached loss target | steps to loss target, median (min–max)"
            + " | reached dev-acc target | steps to dev-acc target, median (min–max)"
            + " | final loss avg, median (min–max) | final dev acc, median (min–max) |\n");
    s.append("|---|---|---|---|---|---|---|---|\n");
    for (String optimizer : c.optimizers()) {
      for (double lr : c.lrs()) {
        List<RunOutcome> g = group(outcomes, optimizer, lr);
        s.append(
            String.format(
                Locale.ROOT,
                "| %s | %.3g | %d/%d | %s | %d/%d | %s | %s | %s |%n",
                optimizer,
                lr,
                reached(g, RunOutcome::lossTargetStep),
                g.size(),
                steps(c, g, RunOutcome::lossTargetStep),
                reached(g, RunOutcome::accuracyTargetStep),
                g.size(),
                steps(c, g, RunOutcome::accuracyTargetStep),
                spread(g, RunOutcome::finalLossAverage),
                spread(g, RunOutcome::finalDevAccuracy)));
      }
    }
    s.append('\n');
    for (String optimizer : c.optimizers()) {
      double lr = tunedLr(c, outcomes, optimizer);
      List<RunOutcome> g = group(outcomes, optimizer, lr);
      s.append(
          String.format(
              Locale.ROOT,
              "Tuned %s: lr %.3g; steps to the dev-accuracy target"
                  + " per seed %s; to the loss target %s; final dev accuracy %s.%n",
              optimizer,
              lr,
              perSeed(c, g, RunOutcome::accuracyTargetStep),
              perSeed(c, g, RunOutcome::lossTargetStep),
              perSeedValue(g, RunOutcome::finalDevAccuracy)));
    }
    return s.toString();
  }

  /** The grid's learning rate with the lowest median steps to the dev-accuracy target. */
  public static double tunedLr(CompareConfig c, List<RunOutcome> outcomes, String optimizer) {
    ToDoubleFunction<RunOutcome> toAccuracy = steps(RunOutcome::accuracyTargetStep);
    Comparator<Double> byMedian =
        Comparator.comparingDouble(
            lr -> median(values(group(outcomes, optimizer, lr), toAccuracy)));
    Comparator<Double> thenAccuracy =
        byMedian.thenComparing(
            Comparator.comparingDouble(
                (Double lr) ->
                    -median(values(group(outcomes, optimizer, lr), RunOutcome::finalDevAccuracy))));
    return c.lrs().stream().min(thenAccuracy).orElseThrow();
  }

  private static List<RunOutcome> group(List<RunOutcome> outcomes, String optimizer, double lr) {
    return outcomes.stream().filter(o -> o.optimizer().equals(optimizer) && o.lr() == lr).toList();
  }

  private static ToDoubleFunction<RunOutcome> steps(ToLongFunction<RunOutcome> step) {
    return o -> step.applyAsLong(o) < 0 ? Double.POSITIVE_INFINITY : step.applyAsLong(o);
  }

  private static long reached(List<RunOutcome> g, ToLongFunction<RunOutcome> step) {
    return g.stream().filter(o -> step.applyAsLong(o) >= 0).count();
  }

  private static String steps(
      CompareConfig c, List<RunOutcome> g, ToLongFunction<RunOutcome> step) {
    double[] v = values(g, steps(step));
    return stepText(c, median(v)) + " (" + stepText(c, min(v)) + "–" + stepText(c, max(v)) + ")";
  }

  private static String perSeed(
      CompareConfig c, List<RunOutcome> g, ToLongFunction<RunOutcome> step) {
    List<String> out = new ArrayList<>();
    for (RunOutcome o : g) {
      out.add(o.seed() + ": " + stepText(c, steps(step).applyAsDouble(o)));
    }
    return "[" + String.join(", ", out) + "]";
  }

  private static String perSeedValue(List<RunOutcome> g, ToDoubleFunction<RunOutcome> value) {
    List<String> out = new ArrayList<>();
    for (RunOutcome o : g) {
      out.add(o.seed() + ": " + String.format(Locale.ROOT, "%.2f", value.applyAsDouble(o)));
    }
    return "[" + String.join(", ", out) + "]";
  }

  private static String spread(List<RunOutcome> g, ToDoubleFunction<RunOutcome> value) {
    double[] v = values(g, value);
    return String.format(Locale.ROOT, "%.3f (%.3f–%.3f)", median(v), min(v), max(v));
  }

  private static String stepText(CompareConfig c, double step) {
    return Double.isInfinite(step) ? ">" + c.steps() : String.format(Locale.ROOT, "%.0f", step);
  }

  private static double[] values(List<RunOutcome> g, ToDoubleFunction<RunOutcome> value) {
    return g.stream().mapToDouble(value).toArray();
  }

  /** The median (the mean of the middle two for an even count; ∞ stays ∞). */
  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(Double.NaN);
  }

  private static double max(double[] v) {
    return Arrays.stream(v).max().orElse(Double.NaN);
  }
}
