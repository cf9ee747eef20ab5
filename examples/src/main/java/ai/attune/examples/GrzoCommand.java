package ai.attune.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code attune grzo}: zeroth-order fine-tuning (GRZO and MeZO) on the MeZO task suite. */
@Command(
    name = "grzo",
    mixinStandardHelpOptions = true,
    description =
        "Forward-only fine-tuning with GRZO or MeZO: train from a YAML config,"
            + " evaluate a model on a task, rebuild fine-tuned weights from a seed log, benchmark a step,"
            + " compare optimizers over seeds.",
    subcommands = {
      GrzoTrainCommand.class,
      GrzoEvalCommand.class,
      GrzoReplayCommand.class,
      GrzoBenchCommand.class,
      GrzoCompareCommand.class,
      CommandLine.HelpCommand.class
    })
final class GrzoCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a subcommand: train, eval, replay, bench or compare");
  }
}
