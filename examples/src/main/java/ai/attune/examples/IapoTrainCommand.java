package ai.attune.examples;

import ai.attune.iapo.api.IapoTraining;
import ai.attune.iapo.train.IapoTrainConfig;
import ai.attune.iapo.train.IapoTrainer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code attune iapo train --config FILE [--resume]}. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Trains a Qwen2.5-VL student with IAPO as a YAML config describes it (see"
            + " docs/iapo.md): metrics.jsonl, eval.jsonl, plots/, rollouts/, checkpoints/ and"
            + " final/ in output.dir.")
final class IapoTrainCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, description = "the run's YAML config")
  Path config;

  @Option(
      names = "--resume",
      description = "continue from the newest checkpoint in output.dir (exact resume)")
  boolean resume;

  @Option(
      names = "--allow-changed-config",
      description =
          "with --resume, continue even when"
              + " the config changes the run's trajectory (logged; the run will not equal an"
              + " uninterrupted one)")
  boolean allowChangedConfig;

  @Option(names = "--steps", description = "override train.steps")
  Integer steps;

  @Override
  public Integer call() {
    IapoTrainConfig c = IapoTrainConfig.read(config);
    if (steps != null) {
      c = c.withSteps(steps);
    }
    try (IapoTraining run = IapoTraining.fromConfig(c, resume, allowChangedConfig)) {
      IapoTrainer.TrainResult r = run.train();
      if (r.firstStep() > r.lastStep()) {
        System.out.printf(
            "the run in %s is already finished (step %d of %d); nothing was"
                + " trained or written%n",
            c.output().dir(), r.lastStep(), c.train().steps());
        return 0;
      }
      System.out.printf(
          "trained steps %d..%d; run folder %s%n", r.firstStep(), r.lastStep(), c.output().dir());
      if (!r.lastEval().isEmpty()) {
        System.out.print(IapoEvalCommand.table(r.lastEval().values()));
      }
    }
    return 0;
  }
}
