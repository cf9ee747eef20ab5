package ai.attune.iapo.data;

import ai.attune.core.data.DatasetException;
import ai.attune.core.data.JsonLines;
import ai.attune.iapo.tools.BoxSpec;
import ai.attune.iapo.tools.NamedBoxes;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads visual-QA examples from JSONL, one object per line:
 *
 * <pre>{@code
 * {"id": "chart-003-q1", "image": "images/chart-003.png", "question": "...", "answer": "42",
 *  "boxes": {"rows": {"Total": [x1, y1, x2, y2]}, "columns": {"2021": [x1, y1, x2, y2]}},
 *  "source": "charts-synth"}
 * }</pre>
 *
 * <ul>
 *   <li>{@code image} (one path) or {@code images} (a non-empty array of paths), relative to the
 *       JSONL file's folder (or absolute); every file must exist when the file is loaded (they are
 *       read later, when used);
 *   <li>{@code question}: a non-blank string; {@code answer}: a string, or a number or boolean
 *       (kept as its text);
 *   <li>{@code boxes} (optional): {@code rows} and/or {@code columns}, each an object from name to
 *       box {@code [x1, y1, x2, y2]} in pixels of the first image, right and bottom exclusive,
 *       {@code 0 <= x1 < x2}, {@code 0 <= y1 < y2};
 *   <li>{@code id} and {@code source} (optional strings); the id defaults to {@code <file
 *       name>:<line>}. Any other field is ignored.
 * </ul>
 *
 * <p>Blank lines are skipped. Anything else wrong stops the load with a {@link DatasetException}
 * naming the file, the line and the field. ReFocus' own files are read by {@link RefocusDatasets}.
 */
public final class VqaDatasets {
  private VqaDatasets() {}

  /** Every example of {@code file}. */
  public static List<VqaExample> load(Path file) {
    return load(file, Integer.MAX_VALUE);
  }

  /** The first {@code maxExamples} examples of {@code file}; the rest is not read. */
  public static List<VqaExample> load(Path file, int maxExamples) {
    if (maxExamples < 0) {
      throw new IllegalArgumentException("maxExamples must be >= 0, got " + maxExamples);
    }
    Path root = file.toAbsolutePath().getParent();
    List<VqaExample> out = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int n = 0;
      String line;
      while (out.size() < maxExamples && (line = in.readLine()) != null) {
        n++;
        if (!line.isBlank()) {
          out.add(example(parse(file, n, line), root));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dataset " + file, e);
    }
    return out;
  }

  static Entry parse(Path file, int line, String text) {
    return new Entry(JsonLines.object(file, line, text), file, line, null);
  }

  private static VqaExample example(Entry e, Path root) {
    List<Path> images = images(e, root);
    String question = e.text("question");
    String answer = e.scalarText(e.require("answer"), "answer");
    String id =
        e.has("id") ? e.scalarText(e.node.get("id"), "id") : e.file.getFileName() + ":" + e.line;
    String source = e.has("source") ? e.text("source") : null;
    return new VqaExample(id, images, question, answer, boxes(e), source, e.origin());
  }

  private static List<Path> images(Entry e, Path root) {
    if (e.has("image") && e.has("images")) {
      throw e.fail("images", "give either 'image' or 'images', not both");
    }
    if (e.has("image")) {
      return List.of(e.existingFile(root, e.text("image"), "image"));
    }
    if (!e.has("images")) {
      throw e.fail("image", "missing (give 'image' or 'images')");
    }
    JsonNode list = e.require("images");
    if (!list.isArray() || list.isEmpty()) {
      throw e.fail("images", "expected a non-empty array of paths, got " + Entry.show(list));
    }
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String path = "images[" + i + "]";
      out.add(e.existingFile(root, e.text(list.get(i), path), path));
    }
    return out;
  }

  private static NamedBoxes boxes(Entry e) {
    if (!e.has("boxes")) {
      return NamedBoxes.EMPTY;
    }
    JsonNode b = e.require("boxes");
    if (!b.isObject()) {
      throw e.fail(
          "boxes", "expected an object with 'rows' and/or 'columns', got " + Entry.show(b));
    }
    for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!k.equals("rows") && !k.equals("columns")) {
        throw e.fail("boxes." + k, "unknown kind of box; expected 'rows' or 'columns'");
      }
    }
    return new NamedBoxes(
        named(e, b.get("rows"), "boxes.rows"), named(e, b.get("columns"), "boxes.columns"));
  }

  private static Map<String, BoxSpec> named(Entry e, JsonNode v, String path) {
    Map<String, BoxSpec> out = new LinkedHashMap<>();
    if (!Entry.present(v)) {
      return out;
    }
    if (!v.isObject()) {
      throw e.fail(path, "expected an object from name to [x1, y1, x2, y2], got " + Entry.show(v));
    }
    v.fields()
        .forEachRemaining(
            f ->
                out.put(
                    f.getKey(),
                    e.boxArray(f.getValue(), path + "." + f.getKey(), BoxSpec.Units.PIXELS)));
    return out;
  }
}
