package ai.attune.core.run;

import ai.attune.core.config.Mappers;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What produced a model or a metrics file, written as JSON beside it so the run can be understood
 * and replayed: the command, the fully resolved config, the seed, when it started, and the library,
 * engine, Java, OS, device and host it ran on.
 *
 * <p>Use {@link #capture} at the start of a run and {@link #write} next to each output. Capturing
 * never starts the DJL engine; pass the engine description (see {@link #describe(Engine)}) when the
 * engine is already running. The config is copied in and out, so a record never changes.
 *
 * @param command the command line or subcommand that started the run
 * @param config the resolved configuration, after defaults and overrides
 * @param seed the root seed every random stream of the run derives from
 * @param startedAt ISO-8601 date-time with offset, such as {@code 2025-06-01T10:15:30.123+02:00}
 * @param attuneVersion the Attune jar's {@code Implementation-Version}, or {@code dev}
 * @param djlVersion the DJL API version
 * @param engine engine name and version, such as {@code PyTorch 2.7.1}, or {@code not started}
 * @param javaVersion {@code java.version}
 * @param javaVendor {@code java.vendor}
 * @param os OS name, version and architecture
 * @param device the compute device, such as {@code cpu()} or {@code gpu(0)}
 * @param hostCores processors available to the JVM
 * @param extra anything else worth keeping (data set hash, git commit), in insertion order
 */
public record RunRecord(
    String command,
    ObjectNode config,
    long seed,
    String startedAt,
    String attuneVersion,
    String djlVersion,
    String engine,
    String javaVersion,
    String javaVendor,
    String os,
    String device,
    int hostCores,
    Map<String, Object> extra) {

  /** The engine description used when the caller does not pass one. */
  public static final String ENGINE_NOT_STARTED = "not started";

  /** Validates every field and takes private copies of the config and the extras. */
  public RunRecord {
    Objects.requireNonNull(command, "command");
    config = Objects.requireNonNull(config, "config").deepCopy();
    Objects.requireNonNull(startedAt, "startedAt");
    try {
      DateTimeFormatter.ISO_DATE_TIME.parse(startedAt);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("startedAt is not an ISO-8601 date-time: " + startedAt, e);
    }
    Objects.requireNonNull(attuneVersion, "attuneVersion");
    Objects.requireNonNull(djlVersion, "djlVersion");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(javaVersion, "javaVersion");
    Objects.requireNonNull(javaVendor, "javaVendor");
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(device, "device");
    if (hostCores < 1) {
      throw new IllegalArgumentException("hostCores must be at least 1, got " + hostCores);
    }
    extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra == null ? Map.of() : extra));
  }

  /** Captures the environment now, without starting the engine. */
  public static RunRecord capture(String command, ObjectNode config, long seed, String device) {
    return capture(command, config, seed, device, ENGINE_NOT_STARTED);
  }

  /** Captures the environment now; {@code engine} describes the running engine. */
  public static RunRecord capture(
      String command, ObjectNode config, long seed, String device, String engine) {
    return new RunRecord(
        command,
        config,
        seed,
        OffsetDateTime.now().truncatedTo(ChronoUnit.MILLIS).toString(),
        implementationVersion(),
        Engine.getDjlVersion(),
        engine,
        System.getProperty("java.version"),
        System.getProperty("java.vendor"),
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " ("
            + System.getProperty("os.arch")
            + ")",
        device,
        Runtime.getRuntime().availableProcessors(),
        Map.of());
  }

  /** {@code "PyTorch 2.7.1"}: the name and version of an engine that is already running. */
  public static String describe(Engine engine) {
    return engine.getEngineName() + " " + engine.getVersion();
  }

  /** The resolved config; a copy, so the record stays unchanged. */
  @Override
  public ObjectNode config() {
    return config.deepCopy();
  }

  /** A copy of this record with one more (or a replaced) extra entry. */
  public RunRecord withExtra(String key, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(extra);
    more.put(Objects.requireNonNull(key, "key"), value);
    return new RunRecord(
        command,
        config,
        seed,
        startedAt,
        attuneVersion,
        djlVersion,
        engine,
        javaVersion,
        javaVendor,
        os,
        device,
        hostCores,
        more);
  }

  /** Writes the record atomically as indented JSON. */
  public void write(Path file) throws IOException {
    AtomicFiles.write(file, out -> Mappers.json().writeValue(out, this));
  }

  /** Reads a record written by {@link #write}; fields added by later versions are ignored. */
  public static RunRecord read(Path file) throws IOException {
    return Mappers.json()
        .readerFor(RunRecord.class)
        .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .readValue(file.toFile());
  }

  private static String implementationVersion() {
    String version = RunRecord.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
