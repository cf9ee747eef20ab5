package ai.attune.grzo.replay;

import ai.attune.core.config.Mappers;
import ai.attune.core.run.MetricsWriter;
import ai.attune.grzo.optim.StepResult;
import ai.attune.grzo.optim.TokenCoefficients;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The log of a zeroth-order run from which its weights can be rebuilt: one JSONL line per
 * applied step with the step seed, the learning rate and the step's coefficients (GRZO: the B
 * values a_i, plus the row coefficients of a perturbed embedding table; MeZO: the projected
 * gradient g). A step skipped for a non-finite loss is logged as a restore-only line ({@code
 * "restore_only": true}, no coefficients): MeZO's +σ/−2σ/+σ sequence ran and left its float
 * rounding in the weights, so a replay re-runs it there without an update. A fine-tune of
 * 20 000 steps at B = 16 is a few megabytes.
 *
 * <p>Lifecycle: opened for append by a trainer (a resumed run continues the same file after
 * dropping any half-written last line), one {@link #append} per applied step, closed with the
 * run; read back whole by {@link #read} for replay.
 */
public final class SeedLog implements AutoCloseable {
  private static final TypeReference<Map<String, TokenCoefficients>> ROWS =
      new TypeReference<>() {};
  private final MetricsWriter writer;

  private SeedLog(MetricsWriter writer) {
    this.writer = writer;
  }

  /** Opens {@code file}, appending when {@code append} (resume) or starting it afresh. */
  public static SeedLog open(Path file, boolean append) {
    try {
      return new SeedLog(MetricsWriter.open(file, append));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open seed log " + file, e);
    }
  }

  /** Records a step: an applied one, or a skipped one as a restore-only line. */
  public void append(StepResult step) {
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

  /** Every logged step of {@code file}, in order, as replayable step results. */
  public static List<StepResult> read(Path file) {
    List<ObjectNode> lines;
    try {
      lines = MetricsWriter.readAll(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read seed log " + file, e);
    }
    List<StepResult> steps = new ArrayList<>(lines.size());
    for (ObjectNode line : lines) {
      steps.add(parse(file, line));
    }
    return steps;
  }

  private static StepResult parse(Path file, ObjectNode line) {
    if (line.path("restore_only").asBoolean(false)) {
      if (!line.hasNonNull("step") || !line.hasNonNull("seed") || !line.hasNonNull("lr")) {
        throw new IllegalArgumentException(
            file + ": restore-only seed log line lacks step, seed or lr: " + line);
      }
      return new StepResult(line.get("step").asLong(), line.get("seed").asLong(),
          line.get("lr").asDouble(), new double[0], new double[0], new double[0], Map.of(), true);
    }
    JsonNode coefficients = line.get("coefficients");
    if (!line.hasNonNull("step") || !line.hasNonNull("seed") || !line.hasNonNull("lr")
        || coefficients == null || !coefficients.isArray()) {
      throw new IllegalArgumentException(
          file + ": seed log line lacks step, seed, lr or coefficients: " + line);
    }
    double[] a = new double[coefficients.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = coefficients.get(i).asDouble();
    }
    return new StepResult(line.get("step").asLong(), line.get("seed").asLong(),
        line.get("lr").asDouble(), new double[0], new double[0], a, embeddingRows(file, line),
        false);
  }

  private static Map<String, TokenCoefficients> embeddingRows(Path file, ObjectNode line) {
    JsonNode rows = line.get("embedding_rows");
    if (rows == null) {
      return Map.of();
    }
    try {
      return Mappers.json().convertValue(rows, ROWS);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          file + ": bad embedding_rows in the line of step " + line.get("step"), e);
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
