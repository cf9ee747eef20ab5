package ai.attune.grzo.replay;

import ai.attune.core.config.Mappers;
import ai.attune.core.run.MetricsWriter;
import ai.attune.grzo.optim.ZoStep;
import ai.attune.models.adapters.TokenCoefficients;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The log of a zeroth-order run from which its weights can be rebuilt: a {@link SeedLogHeader} line
 * (device, engine, dtype, seed, optimizer settings and the base model's fingerprint, which a replay
 * must match), then one JSONL line per applied step with the step seed, the learning rate and the
 * step's coefficients (GRZO: the B values a_i, plus the row coefficients of a perturbed embedding
 * table; MeZO: the projected gradient g). A step skipped for a non-finite loss is logged as a
 * restore-only line ({@code "restore_only": true}, no coefficients): MeZO's +σ/−2σ/+σ sequence ran
 * and left its float rounding in the weights, so a replay re-runs it there without an update. A
 * fine-tune of 20 000 steps at B = 16 is a few megabytes.
 *
 * <p>Lifecycle: created with its header by a fresh run ({@link #create}) or opened for append by a
 * resumed one (which continues the same file after dropping any half-written last line), one {@link
 * #append} per applied step, closed with the run; read back whole by {@link #read} (and {@link
 * #header}) for replay. Every read error names the file and the line.
 */
public final class SeedLog implements AutoCloseable {
  /** The seed log's name in a run folder. */
  public static final String FILE = "seed_log.jsonl";

  private static final TypeReference<Map<String, TokenCoefficients>> ROWS =
      new TypeReference<>() {};
  private static final ObjectWriter LINE =
      Mappers.json().writer().without(SerializationFeature.INDENT_OUTPUT);
  private final MetricsWriter writer;

  private SeedLog(MetricsWriter writer) {
    this.writer = writer;
  }

  /** Starts {@code file} afresh with {@code header} as its first line. */
  public static SeedLog create(Path file, SeedLogHeader header) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      ObjectNode line = Mappers.json().createObjectNode();
      line.put(SeedLogHeader.MARKER, SeedLogHeader.FORMAT);
      line.setAll((ObjectNode) Mappers.json().valueToTree(header));
      Files.writeString(file, LINE.writeValueAsString(line) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write seed log " + file, e);
    }
    return open(file, true);
  }

  /**
   * Opens {@code file}, appending when {@code append} (resume) or starting it afresh without a
   * header (a log without one cannot be replayed; trainers use {@link #create}).
   */
  public static SeedLog open(Path file, boolean append) {
    try {
      return new SeedLog(MetricsWriter.open(file, append));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open seed log " + file, e);
    }
  }

  /** Records a step: an applied one, or a skipped one as a restore-only line. */
  public void append(ZoStep step) {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("seed", step.seed());
    values.put("lr", step.learningRate());
    if (step.skipped()) {
      values.put("restore_only", true);
      writer.log(step.step(), values);
      return;
    }
    values.put("coefficients", step.coefficients());
    if (!step.embeddingRows().isEmpty()) {
      values.put("embedding_rows", step.embeddingRows());
    }
    writer.log(step.step(), values);
  }

  /**
   * Every logged step of {@code file}, in order, as replayable step results (the header line, if
   * any, is skipped).
   *
   * @throws SeedLogException naming {@code file:line} for a missing file, a line that is not a JSON
   *     object, a line cut off by a crash, a line that lacks a field, or steps out of order
   */
  public static List<ZoStep> read(Path file) {
    List<String> lines = lines(file);
    List<ZoStep> steps = new ArrayList<>(lines.size());
    long previous = Long.MIN_VALUE;
    for (int i = 0; i < lines.size(); i++) {
      ObjectNode line = parseLine(file, lines, i);
      if (line == null || line.has(SeedLogHeader.MARKER)) {
        continue;
      }
      ZoStep step = parse(file, i + 1, line);
      if (steps.size() > 0 && step.step() <= previous) {
        throw new SeedLogException(
            file
                + ":"
                + (i + 1)
                + ": step "
                + step.step()
                + " follows step "
                + previous
                + "; a seed log's steps only increase (was it edited"
                + " or concatenated?)");
      }
      previous = step.step();
      steps.add(step);
    }
    return steps;
  }

  /**
   * The header of {@code file}.
   *
   * @throws SeedLogException when the file is missing or its first line is not a header (a log
   *     written before headers existed cannot be checked against the model it replays onto)
   */
  public static SeedLogHeader header(Path file) {
    List<String> lines = lines(file);
    ObjectNode first = lines.isEmpty() ? null : parseLine(file, lines, 0);
    if (first == null || !first.has(SeedLogHeader.MARKER)) {
      throw new SeedLogException(
          file
              + ":1: no seed log header (the line naming the device,"
              + " engine, dtype, optimizer settings and base model the run used); a log without one"
              + " cannot be checked against the model it would be replayed onto");
    }
    int format = first.get(SeedLogHeader.MARKER).asInt();
    if (format != SeedLogHeader.FORMAT) {
      throw new SeedLogException(
          file
              + ":1: seed log header format "
              + format
              + ", this"
              + " version reads format "
              + SeedLogHeader.FORMAT);
    }
    first.remove(SeedLogHeader.MARKER);
    try {
      return Mappers.json().treeToValue(first, SeedLogHeader.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new SeedLogException(file + ":1: bad seed log header: " + e.getMessage(), e);
    }
  }

  private static List<String> lines(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new SeedLogException(
          Files.isDirectory(file)
              ? file + " is a folder, not a seed log"
              : "seed log " + file + " does not exist");
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SeedLogException("cannot read seed log " + file + ": " + e.getMessage(), e);
    }
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    String last = lines.remove(lines.size() - 1);
    if (!last.isEmpty()) {
      throw new SeedLogException(
          file
              + ":"
              + (lines.size() + 1)
              + ": the last line is cut off"
              + " (no newline; the run was killed while writing it): the log is torn, and replaying"
              + " it would miss a step. Use the checkpoint, or cut the line off if that step is not"
              + " wanted");
    }
    return lines;
  }

  /** Line {@code i} as a JSON object; null for a blank line. */
  private static ObjectNode parseLine(Path file, List<String> lines, int i) {
    String text = lines.get(i).strip();
    if (text.isEmpty()) {
      return null;
    }
    JsonNode node;
    try {
      node = Mappers.json().readTree(text);
    } catch (JsonProcessingException e) {
      throw new SeedLogException(
          file
              + ":"
              + (i + 1)
              + ": not valid JSON (a torn or edited"
              + " log): "
              + e.getOriginalMessage(),
          e);
    }
    if (node == null || !node.isObject()) {
      throw new SeedLogException(
          file + ":" + (i + 1) + ": expected a JSON object, found " + abbreviate(text));
    }
    return (ObjectNode) node;
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "...";
  }

  private static ZoStep parse(Path file, int lineNumber, ObjectNode line) {
    if (line.path("restore_only").asBoolean(false)) {
      if (!line.hasNonNull("step") || !line.hasNonNull("seed") || !line.hasNonNull("lr")) {
        throw new SeedLogException(
            file
                + ":"
                + lineNumber
                + ": restore-only seed log line lacks step, seed or lr: "
                + abbreviate(line.toString()));
      }
      return new ZoStep(
          line.get("step").asLong(),
          line.get("seed").asLong(),
          line.get("lr").asDouble(),
          new double[0],
          new double[0],
          new double[0],
          Map.of(),
          true);
    }
    JsonNode coefficients = line.get("coefficients");
    if (!line.hasNonNull("step")
        || !line.hasNonNull("seed")
        || !line.hasNonNull("lr")
        || coefficients == null
        || !coefficients.isArray()) {
      throw new SeedLogException(
          file
              + ":"
              + lineNumber
              + ": seed log line lacks step, seed, lr or coefficients: "
              + abbreviate(line.toString()));
    }
    if (!line.get("step").canConvertToLong()
        || !line.get("seed").canConvertToLong()
        || !line.get("lr").isNumber()) {
      throw new SeedLogException(
          file
              + ":"
              + lineNumber
              + ": step and seed must be integers"
              + " and lr a number: "
              + abbreviate(line.toString()));
    }
    double[] a = new double[coefficients.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = coefficients.get(i).asDouble();
    }
    return new ZoStep(
        line.get("step").asLong(),
        line.get("seed").asLong(),
        line.get("lr").asDouble(),
        new double[0],
        new double[0],
        a,
        embeddingRows(file, lineNumber, line),
        false);
  }

  private static Map<String, TokenCoefficients> embeddingRows(
      Path file, int lineNumber, ObjectNode line) {
    JsonNode rows = line.get("embedding_rows");
    if (rows == null) {
      return Map.of();
    }
    try {
      return Mappers.json().convertValue(rows, ROWS);
    } catch (IllegalArgumentException e) {
      throw new SeedLogException(
          file
              + ":"
              + lineNumber
              + ": bad embedding_rows in the line of step "
              + line.get("step")
              + ": "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public void close() {
    try {
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
