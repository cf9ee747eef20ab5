package ai.attune.grzo.tasks;

import ai.attune.core.data.DatasetException;
import ai.attune.core.data.JsonLines;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a task's examples from a local JSONL file, one JSON object per line with the field names of
 * the task's HF dataset. Blank lines are skipped; any other line that is not a JSON object with the
 * task's fields, of the right types and with the label in range, stops the load with a {@link
 * DatasetException} naming the file, the line and the field.
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
    return new JsonRecord(JsonLines.object(file, lineNumber, line), file, lineNumber);
  }
}
