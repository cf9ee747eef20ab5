package ai.attune.examples;

import ai.attune.grzo.compare.CompareConfig;
import ai.attune.grzo.compare.ComparisonTable;
import ai.attune.grzo.compare.OptimizerComparison;
import ai.attune.grzo.compare.RunOutcome;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code attune grzo compare}: trains GRZO and MeZO on one learning-rate grid over several seeds
 * and prints how fast and how far each gets (see docs/grzo.md).
 */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description =
        "Compares optimizers: trains each at every learning rate of one grid and every"
            + " seed from the same base config, then prints medians and spreads of the steps to a"
            + " training-loss and a dev-accuracy target and of the final metrics, and each"
            + " optimizer's tuned rate with its per-seed steps. Writes runs.jsonl and comparison.md"
            + " to the config's output folder.")
final class GrzoCompareCommand implements Callable<Integer> {
  @Option(
      names = "--config",
      required = true,
      description = "the comparison's YAML (e.g. configs/grzo-compare-opt-tiny-sst2.yaml)")
  Path config;

  @Override
  public Integer call() throws IOException {
    CompareConfig c = CompareConfig.read(config);
    List<RunOutcome> outcomes = OptimizerComparison.run(c);
    System.out.print(ComparisonTable.format(c, outcomes));
    System.out.printf("wrote %s%n", Path.of(c.output()).resolve("comparison.md"));
    return 0;
  }
}
