package ai.attune.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code attune} command line: {@code java -jar attune.jar <command> ...}. */
@Command(
    name = "attune",
    mixinStandardHelpOptions = true,
    versionProvider = AttuneCli.Version.class,
    description = "Fine-tune language and vision-language models on the JVM (DJL + PyTorch).",
    subcommands = {
      EnvCommand.class,
      ForwardCommand.class,
      GenerateCommand.class,
      GrzoCommand.class,
      IapoCommand.class,
      CommandLine.HelpCommand.class
    })
public final class AttuneCli {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (for tests). */
  public static int run(String... args) {
    return new CommandLine(new AttuneCli())
        .setExecutionExceptionHandler(AttuneCli::reportError)
        .execute(args);
  }

  private static int reportError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    cmd.getErr().println("error: " + message(e));
    if (Boolean.getBoolean("attune.stacktrace")) {
      e.printStackTrace(cmd.getErr());
    }
    return 1;
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }

  /** The version from the jar manifest, or "dev" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = AttuneCli.class.getPackage().getImplementationVersion();
      return new String[] {"attune " + (v == null ? "dev" : v)};
    }
  }
}
