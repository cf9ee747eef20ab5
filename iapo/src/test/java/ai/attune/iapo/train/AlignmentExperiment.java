package ai.attune.iapo.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Does the alignment reward teach the student to attribute like the teacher, or would any reward of
 * the same values do? Per seed, two runs on the warm tiny student with every outcome reward weight
 * at 0 and λ = 1 (the only reward is −D): the real one, and the placebo, where D is shuffled within
 * each group before shaping ({@code alignment.placebo}), which keeps the reward values and breaks
 * their link to the rollouts. Reported per run: the mean attribution KL over the first and the last
 * {@code window} steps, its drop, and the tool-call rate of the last window.
 *
 * <p>Run: {@code java -cp <test classpath> ai.attune.iapo.train.AlignmentExperiment [seeds] [steps]
 * [window]} (defaults 5, 20, 5); {@link AlignmentExperimentTest} runs it in the slow tier.
 */
public final class AlignmentExperiment {
  private AlignmentExperiment() {}

  /** One run: the attribution KL and tool-call rate of each step. */
  record Run(long seed, boolean placebo, List<Double> kl, List<Double> toolCalls, int window) {
    double first() {
      return mean(kl.subList(0, window));
    }

    double last() {
      return mean(kl.subList(kl.size() - window, kl.size()));
    }

    double drop() {
      return first() - last();
    }

    double lastToolCalls() {
      return mean(toolCalls.subList(toolCalls.size() - window, toolCalls.size()));
    }
  }

  /** One seed's real and placebo runs. */
  record Pair(Run real, Run placebo) {
    /** How much more the real run's KL fell than the placebo's. */
    double excessDrop() {
      return real.drop() - placebo.drop();
    }
  }

  public static void main(String[] args) throws Exception {
    int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int window = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    run(seeds, steps, window, Files.createTempDirectory("iapo-alignment"));
  }

  /** Runs seeds 1..{@code seeds}, both arms, printing the table as it goes. */
  static List<Pair> run(int seeds, int steps, int window, Path work) {
    System.out.printf(
        "| seed | arm | KL first %d | KL last %d | drop | tool calls (last %d) |%n",
        window, window, window);
    System.out.println("|---|---|---|---|---|---|");
    List<Pair> pairs = new ArrayList<>();
    for (long seed = 1; seed <= seeds; seed++) {
      Run real = run(seed, false, steps, window, work);
      print(real);
      Run placebo = run(seed, true, steps, window, work);
      print(placebo);
      pairs.add(new Pair(real, placebo));
    }
    double excess = pairs.stream().mapToDouble(Pair::excessDrop).average().orElseThrow();
    long realBetter = pairs.stream().filter(p -> p.excessDrop() > 0).count();
    System.out.printf(
        "mean drop: real %.3f, placebo %.3f; real fell more in %d of %d seeds"
            + " (mean excess %.3f)%n",
        pairs.stream().mapToDouble(p -> p.real().drop()).average().orElseThrow(),
        pairs.stream().mapToDouble(p -> p.placebo().drop()).average().orElseThrow(),
        realBetter,
        pairs.size(),
        excess);
    return pairs;
  }

  static Run run(long seed, boolean placebo, int steps, int window, Path work) {
    String settings =
        """
        data: {eval: []}
        rewards: {correctness: 0.0, format: 0.0, tool_penalty: 0.0}
        alignment: {lambda: 1.0, placebo: %s}
        optim: {lr: 5.0e-4}
        train: {seed: %d, steps: %d, prompts_per_step: 2, samples_per_eval: 0,
          checkpoint_every: 0}
        output: {plots: false, final_model: false}
        """
            .formatted(placebo, seed, steps);
    List<Double> kl = new ArrayList<>();
    List<Double> toolCalls = new ArrayList<>();
    Path out = work.resolve("seed-" + seed + (placebo ? "-placebo" : "-real"));
    try (IapoTrainer t = new IapoTrainer(TinyRuns.config(out, settings))) {
      t.onStep(
          r -> {
            kl.add(r.metric("attribution_kl"));
            toolCalls.add(r.metric("tool_call_rate"));
          });
      t.train(false);
    }
    return new Run(seed, placebo, kl, toolCalls, window);
  }

  private static void print(Run r) {
    System.out.printf(
        "| %d | %s | %.3f | %.3f | %+.3f | %.2f |%n",
        r.seed(),
        r.placebo() ? "placebo" : "real",
        r.first(),
        r.last(),
        r.drop(),
        r.lastToolCalls());
  }

  static double mean(List<Double> v) {
    return v.stream()
        .mapToDouble(Double::doubleValue)
        .filter(x -> !Double.isNaN(x))
        .average()
        .orElse(Double.NaN);
  }
}
