package ai.attune.grzo.tasks;

import ai.attune.core.config.Mappers;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a task's examples from a local JSONL file, one JSON object per line with the field names of
 * the task's HF dataset. Blank lines are skipped; any other line that is not a JSON object with the
 * task's fields, of the right types and with the label in range, stops the load with a {@link
 * TaskDataException} naming the file, the line and the field.
 */
public final class TaskDatasets {
  private TaskDatasets() {}

  /** Every example of {@code file}. */
  public static List<TaskExample> load(MezoTask task, Path file) {
    return load(task, file, Integer.MAX_VALUE);
  }

  /**
   * The first {@code maxExamples} examples of {@code file} (the file is read no further), as a
   * {@code --max-examples} option would ask.
   */
  public static List<TaskExample> load(MezoTask task, Path file, int maxExamples) {
    if (maxExamples < 0) {
      throw new IllegalArgumentException("maxExamples must be >= 0, got " + maxExamples);
    }
    List<TaskExample> examples = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int lineNumber = 0;
      String line;
      while (examples.size() < maxExamples && (line = in.readLine()) != null) {
        lineNumber++;
        if (!line.isBlank()) {
          examples.add(task.build(parse(file, lineNumber, line)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + task.id() + " data " + file, e);
    }
    return examples;
  }

  private static JsonRecord parse(Path file, int lineNumber, String line) {
    JsonNode node;
    try {
      node = Mappers.json().readTree(line);
    } catch (JsonProcessingException e) {
      throw new TaskDataException(
          file, lineNumber, null, "not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      String got =
          node == null ? "nothing" : node.getNodeType().toString().toLowerCase(Locale.ROOT);
      throw new TaskDataException(
          file, lineNumber, null, "expected a JSON object, got " + got, null);
    }
    return new JsonRecord(node, file, lineNumber);
  }
}
