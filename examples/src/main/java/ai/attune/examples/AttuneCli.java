package ai.attune.examples;

import ai.attune.core.device.QuickJit;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code attune} command line: {@code java -jar attune.jar <command> ...}.
 *
 * <p>Its {@link #main} first keeps the JVM's C2 compiler off ({@link QuickJit}; {@code
 * -Dattune.jit=full} keeps it), so that a run's warm-up does not share the cores with it.
 */
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
    System.exit(runWithQuickJit(args));
  }

  /** {@link #run}, after {@link QuickJit#applyFromProperty} (quick unless the property says so). */
  static int runWithQuickJit(String... args) {
    QuickJit.Decision jit;
    try {
      jit = QuickJit.applyFromProperty(QuickJit.Mode.QUICK);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
    LoggerFactory.getLogger(AttuneCli.class).debug("JIT: " + jit.reason());
    return run(args);
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
