package ai.attune.grzo.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Iterator;
import java.util.Objects;

/**
 * The first line of a seed log: what a replay must match for the logged steps to rebuild the
 * trained weights. The noise of a step is drawn by the engine's generator on the run's device, so
 * the device type, the engine and its (libtorch) version are part of it; so are the compute dtype,
 * the optimizer settings and run seed the optimizer is built from, and the base model's {@link
 * ModelFingerprint}.
 *
 * @param format the header's format version ({@value #FORMAT})
 * @param deviceType {@code cpu} or {@code gpu}: CPU and CUDA generators draw different noise
 * @param engine the engine's name, {@code PyTorch}
 * @param engineVersion the libtorch version, e.g. {@code 2.7.1}
 * @param dtype the compute dtype, {@code float32} or {@code float16}
 * @param seed the run seed the step seeds derive from
 * @param optimizer the run's {@code optimizer} config section, as resolved
 * @param model the base model's fingerprint
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SeedLogHeader(
    int format,
    String deviceType,
    String engine,
    String engineVersion,
    String dtype,
    long seed,
    JsonNode optimizer,
    ModelFingerprint model) {

  /** The current header format. */
  public static final int FORMAT = 1;

  /** The JSON field that marks a header line. */
  public static final String MARKER = "seed_log_header";

  public SeedLogHeader {
    Objects.requireNonNull(deviceType, "deviceType");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(engineVersion, "engineVersion");
    Objects.requireNonNull(dtype, "dtype");
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(model, "model");
  }

  /**
   * Why a replay described by {@code now} cannot rebuild the logged run, or null when it can: the
   * first field that differs, with both values and what it would change.
   */
  public String mismatch(SeedLogHeader now) {
    if (!deviceType.equals(now.deviceType)) {
      return "the run drew its noise on the "
          + deviceType
          + ", the replay would run on the "
          + now.deviceType
          + ": CPU and CUDA generators give different noise for the same seed,"
          + " so the weights would differ (replay with model.device: "
          + deviceType
          + ")";
    }
    if (!engine.equals(now.engine) || !engineVersion.equals(now.engineVersion)) {
      return "the run used "
          + engine
          + " "
          + engineVersion
          + ", this replay "
          + now.engine
          + " "
          + now.engineVersion
          + ": the generator's noise may differ between versions"
          + " (replay with the run's libtorch)";
    }
    if (!dtype.equals(now.dtype)) {
      return "the run computed in "
          + dtype
          + ", the replay would compute in "
          + now.dtype
          + " (set model.dtype: "
          + dtype
          + ")";
    }
    if (seed != now.seed) {
      return "the run's train.seed is " + seed + ", the replay's config has " + now.seed;
    }
    String field = firstDifference("optimizer", optimizer, now.optimizer);
    if (field != null) {
      return "the optimizer settings differ at " + field;
    }
    String model = this.model.difference(now.model);
    return model == null ? null : "the base model differs from the run's: " + model;
  }

  private static String firstDifference(String path, JsonNode a, JsonNode b) {
    if (a.isObject() && b.isObject()) {
      Iterator<String> names = a.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        JsonNode other = b.get(name);
        String d =
            other == null
                ? path + "." + name + " (was " + a.get(name) + ", now absent)"
                : firstDifference(path + "." + name, a.get(name), other);
        if (d != null) {
          return d;
        }
      }
      Iterator<String> more = b.fieldNames();
      while (more.hasNext()) {
        String name = more.next();
        if (!a.has(name)) {
          return path + "." + name + " (absent in the run, now " + b.get(name) + ")";
        }
      }
      return null;
    }
    return a.equals(b) ? null : path + " (was " + a + ", now " + b + ")";
  }
}
