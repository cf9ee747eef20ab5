package ai.attune.examples;

import ai.attune.grzo.api.ZerothOrderTraining;
import ai.attune.grzo.train.GrzoTrainConfig;
import ai.attune.grzo.train.GrzoTrainer;
import ai.attune.grzo.train.TrainResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code attune grzo train}: runs the public API's {@link ZerothOrderTraining} (over {@link
 * GrzoTrainer}) on a YAML config and prints the summary (accuracy before and after, the metrics
 * file, the plot, the checkpoint).
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Fine-tunes a model with GRZO or MeZO as the YAML config says (docs/grzo.md)."
            + " A run folder that already holds a checkpoint is resumed (the config must describe"
            + " the same run); a complete one is reported, not retrained.")
final class GrzoTrainCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, description = "the YAML training config")
  Path config;

  @ArgGroup(exclusive = true)
  StartMode start;

  static final class StartMode {
    @Option(
        names = "--resume",
        description = "resume the run in output.dir; fail if there is" + " no checkpoint")
    boolean resume;

    @Option(
        names = "--fresh",
        description = "delete the previous run in output.dir and start" + " afresh")
    boolean fresh;
  }

  @Option(
      names = "--allow-changed-config",
      description =
          "resume even when the config changes"
              + " the run's trajectory (train.steps under a decaying schedule, the batch size, a seed,"
              + " an optimizer setting); the change is logged and the run will not equal an"
              + " uninterrupted one")
  boolean allowChangedConfig;

  @Option(names = "--steps", description = "override train.steps")
  Integer steps;

  @Option(names = "--output", description = "override output.dir")
  Path output;

  @Option(
      names = "--spark-master",
      paramLabel = "MASTER",
      description =
          "train data-parallel on Spark (local[N] or spark://HOST:PORT): the global"
              + " batch train.batch_size is split over the workers, one model each; the result"
              + " equals the one-process run's. Needs Spark on the class path (spark-submit;"
              + " docs/scale-out.md)")
  String sparkMaster;

  @Option(names = "--workers", description = "data-parallel workers (default: N of local[N])")
  Integer workers;

  @Option(
      names = "--checksum-every",
      defaultValue = "10",
      description =
          "compare the workers' weights every K steps (and at the end)."
              + " Default: ${DEFAULT-VALUE}")
  int checksumEvery;

  @Override
  public Integer call() throws IOException {
    GrzoTrainConfig c = GrzoTrainConfig.read(config);
    if (steps != null) {
      c = c.withSteps(steps);
    }
    if (output != null) {
      c = c.withOutputDir(output);
    }
    GrzoTrainer.Start mode =
        start == null
            ? GrzoTrainer.Start.AUTO
            : start.resume ? GrzoTrainer.Start.RESUME : GrzoTrainer.Start.FRESH;
    String command =
        "attune grzo train --config "
            + config
            + (steps == null ? "" : " --steps " + steps)
            + (output == null ? "" : " --output " + output)
            + (allowChangedConfig ? " --allow-changed-config" : "");
    TrainResult result;
    if (sparkMaster == null) {
      try (ZerothOrderTraining<Object> run =
          ZerothOrderTraining.fromConfig(c, command, mode, allowChangedConfig)) {
        result = run.train();
      }
    } else {
      SparkRuns.requireSpark();
      int n = SparkRuns.workers(sparkMaster, workers, "--workers");
      result =
          SparkRuns.train(
              sparkMaster,
              n,
              checksumEvery,
              c,
              command + " --spark-master " + sparkMaster + " --workers " + n,
              mode);
    }
    System.out.print(result.summary());
    return 0;
  }
}
