package ai.attune.core.device;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The JVM's optimising compiler (C2) kept off in this process, so that its threads do not take
 * libtorch's cores while a run warms up.
 *
 * <p>Attune's Java code only orders libtorch's kernels: once warm, a step spends a few percent of
 * its time in Java. But in a fresh JVM, HotSpot's C2 compiles the hot Java code (DJL's, Attune's
 * and the JDK's) on background threads for the first hundreds of steps, and on a machine with few
 * cores those threads take the cores libtorch's intra-op threads run on. {@code docs/grzo.md} ("C2
 * kept off from inside the JVM") measured it on 2 cores: with C2 kept off, the first steps of its
 * shape c ran 11–37% faster by phase (medians of six alternating runs), and after 200 warm-up steps
 * as fast as with C2, within the runs' spread.
 *
 * <p>{@link #apply} adds one compiler directive ({@code [{match: "*.*", c2: {Exclude: true}}]})
 * through the JVM's diagnostic command {@code Compiler.directives_add}, the same as {@code jcmd
 * <pid> Compiler.directives_add}: from then on no method is compiled by C2, and a method that would
 * have been is compiled by the quick compiler (C1) without profiling instead, close to what {@code
 * -XX:TieredStopAtLevel=1} gives from the start. It is a choice for the whole process, so the
 * library never makes it by itself: Attune's command line and example mains call {@link
 * #applyFromProperty} first thing, and a program that embeds Attune may call it too. {@code
 * -Dattune.jit=full} keeps C2.
 *
 * <p>Nothing is changed where it cannot help or would harm: when the JVM already runs C1 only
 * ({@code -XX:TieredStopAtLevel} below 4), when tiered compilation is off or its mode is not the
 * default (C2 may then be the only compiler), when the JIT is Graal (JVMCI), and on a JVM without
 * HotSpot's diagnostic commands. Every case gets its reason, for the log and {@code attune env}.
 */
public final class QuickJit {
  /** {@code -Dattune.jit=quick} (the command line's default) or {@code full}. */
  public static final String PROPERTY = "attune.jit";

  /** The directive: C2 compiles nothing. */
  static final String DIRECTIVE = "[{match: [\"*.*\"], c2: {Exclude: true}}]";

  private static final String DIAGNOSTIC_COMMAND = "com.sun.management:type=DiagnosticCommand";
  private static Decision current;

  private QuickJit() {}

  /** Which compilers the process should use. */
  public enum Mode {
    /** C1 only, C2 kept off by a compiler directive. */
    QUICK,
    /** The JVM's own tiered compilation, C2 included. */
    FULL;

    /**
     * {@code quick} or {@code full}, in any case; anything else is refused, naming the property.
     */
    public static Mode parse(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      return switch (v) {
        case "quick" -> QUICK;
        case "full" -> FULL;
        default ->
            throw new IllegalArgumentException(
                "-D"
                    + PROPERTY
                    + "="
                    + value
                    + ": expected quick (C2 kept off) or full (the JVM's C2)");
      };
    }
  }

  /**
   * What was decided for this process.
   *
   * @param quick whether C2 is kept off in this process (by Attune's directive or the JVM's own
   *     options)
   * @param reason one line for the log and {@code attune env}
   */
  public record Decision(boolean quick, String reason) {}

  /**
   * Applies {@code -Dattune.jit}, or {@code defaultMode} when the property is not set; once per
   * process (later calls return the first decision).
   */
  public static synchronized Decision applyFromProperty(Mode defaultMode) {
    if (current == null) {
      String value = System.getProperty(PROPERTY);
      current = apply(value == null ? defaultMode : Mode.parse(value));
    }
    return current;
  }

  /**
   * The decision made in this process, or, when nothing applied one, what the JVM does by itself
   * (C2 on unless its options say otherwise).
   */
  public static synchronized Decision current() {
    if (current != null) {
      return current;
    }
    String jvm = jvmQuickOnly();
    return jvm == null
        ? new Decision(
            false, "C2 on (the JVM's tiered compilation; nothing asked for -Dattune.jit)")
        : byJvmOptions(jvm);
  }

  /** Applies {@code mode} now (each call adds a directive for {@link Mode#QUICK}). */
  static Decision apply(Mode mode) {
    if (mode == Mode.FULL) {
      return new Decision(false, "C2 on (-D" + PROPERTY + "=full)");
    }
    String jvm = jvmQuickOnly();
    if (jvm != null) {
      return byJvmOptions(jvm);
    }
    String unsafe = unsafeToExclude();
    if (unsafe != null) {
      return new Decision(false, "C2 on: " + unsafe + ", so Attune leaves the compilers alone");
    }
    try {
      String answer = addDirective(DIRECTIVE);
      if (!answer.contains("1 compiler directives added")) {
        return new Decision(false, "C2 on: the JVM refused the directive (" + answer.trim() + ")");
      }
    } catch (IOException | JMException | RuntimeException e) {
      return new Decision(false, "C2 on: the directive could not be added (" + e + ")");
    }
    return new Decision(
        true,
        "C2 kept off (a compiler directive; C1 compiles the hot code), so that its threads leave"
            + " libtorch's cores alone while the run warms up; -D"
            + PROPERTY
            + "=full keeps it");
  }

  private static Decision byJvmOptions(String options) {
    return new Decision(true, "C1 only, by the JVM's own options (" + options + ")");
  }

  /** The JVM options that already keep C2 off, or null. */
  private static String jvmQuickOnly() {
    String level = option("TieredStopAtLevel");
    if (level != null
        && Integer.parseInt(level) < 4
        && "true".equals(option("TieredCompilation"))) {
      return "-XX:TieredStopAtLevel=" + level;
    }
    if ("quick-only".equals(option("CompilationMode"))) {
      return "-XX:CompilationMode=quick-only";
    }
    return null;
  }

  /** Why excluding C2 would leave code interpreted or miss the JIT in use, or null. */
  private static String unsafeToExclude() {
    HotSpotDiagnosticMXBean hotspot = hotspot();
    if (hotspot == null) {
      return "this JVM is not HotSpot";
    }
    if (!"true".equals(option("TieredCompilation"))) {
      return "tiered compilation is off (-XX:-TieredCompilation), C2 is the only compiler";
    }
    String mode = option("CompilationMode");
    if (mode != null && !mode.equals("default")) {
      return "-XX:CompilationMode=" + mode;
    }
    if ("true".equals(option("UseJVMCICompiler"))) {
      return "the JIT is Graal (-XX:+UseJVMCICompiler)";
    }
    return null;
  }

  private static HotSpotDiagnosticMXBean hotspot() {
    try {
      return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }

  /** A HotSpot option's value, or null where the JVM has no such option. */
  private static String option(String name) {
    HotSpotDiagnosticMXBean hotspot = hotspot();
    if (hotspot == null) {
      return null;
    }
    try {
      return hotspot.getVMOption(name).getValue();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Runs {@code Compiler.directives_add} with {@code json} in a temporary file; its answer. */
  private static String addDirective(String json) throws IOException, JMException {
    Path file = Files.createTempFile("attune-jit-", ".json");
    try {
      Files.writeString(file, json, StandardCharsets.UTF_8);
      return diagnosticCommand("compilerDirectivesAdd", file.toString());
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** Runs one of the JVM's diagnostic commands (as {@code jcmd} does); its answer. */
  private static String diagnosticCommand(String operation, String... arguments)
      throws JMException {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    Object answer =
        server.invoke(
            new ObjectName(DIAGNOSTIC_COMMAND),
            operation,
            new Object[] {arguments},
            new String[] {String[].class.getName()});
    return String.valueOf(answer);
  }
}
