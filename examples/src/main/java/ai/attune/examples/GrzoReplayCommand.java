package ai.attune.examples;

import ai.attune.core.run.OutputPaths;
import ai.attune.core.run.RunFolder;
import ai.attune.grzo.replay.SeedLog;
import ai.attune.grzo.train.GrzoTrainConfig;
import ai.attune.grzo.train.SeedLogReplay;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code attune grzo replay}: rebuilds a fine-tuned model from the base weights and a run's seed
 * log alone.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description =
        "Rebuilds fine-tuned weights from the base model and a run's seed log: builds"
            + " the run's optimizer from its resolved config and re-applies every logged step, then"
            + " writes an HF model folder. On the run's device and dtype the weights equal the"
            + " trained ones bit for bit (MeZO: when trained with optimizer.exact_restore). A log"
            + " written on another device type, engine version, dtype, optimizer setting or base"
            + " model is refused, naming the difference.")
final class GrzoReplayCommand implements Callable<Integer> {
  @Option(names = "--base", required = true, description = "the base model folder")
  Path base;

  @Option(names = "--log", required = true, description = "the run's seed_log.jsonl")
  Path log;

  @Option(names = "--out", required = true, description = "the model folder to write")
  Path out;

  @Option(
      names = "--config",
      description = "the run's resolved config (default: config.yaml beside the log)")
  Path config;

  @Override
  public Integer call() throws IOException {
    SeedLog.header(log);
    OutputPaths.requireFolder(out, "--out");
    Path file = config != null ? config : log.toAbsolutePath().resolveSibling(RunFolder.CONFIG);
    GrzoTrainConfig c = GrzoTrainConfig.read(file);
    int steps = SeedLogReplay.rebuild(base, log, c, out);
    System.out.printf(
        "replayed %d steps of %s (%s) onto %s: wrote %s%n",
        steps, log, c.optimizer().name().toString().toLowerCase(Locale.ROOT), base, out);
    return 0;
  }
}
