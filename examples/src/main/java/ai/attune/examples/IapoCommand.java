package ai.attune.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code attune iapo}: IAPO training, evaluation and benchmark. */
@Command(
    name = "iapo",
    mixinStandardHelpOptions = true,
    description =
        "Input attribution-aware policy optimisation (IAPO) of a Qwen2.5-VL tool-using"
            + " agent: train from a YAML config, evaluate on chart/table VQA sets, benchmark a step.",
    subcommands = {
      IapoTrainCommand.class,
      IapoEvalCommand.class,
      IapoBenchCommand.class,
      IapoPlanCommand.class
    })
final class IapoCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Throws picocli's usage error for {@code message} (exit code 2). */
  static CommandLine.ParameterException usage(CommandSpec spec, String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
