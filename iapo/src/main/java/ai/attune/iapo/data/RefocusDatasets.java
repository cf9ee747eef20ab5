package ai.attune.iapo.data;

import ai.attune.core.config.Mappers;
import ai.attune.core.data.DatasetException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads ReFocus' data files as they are (Fu et al. 2025, "ReFocus: Visual Editing as a Chain of
 * Thought for Structured Image Understanding"; the format read here is that of its released code
 * and of {@code test_data_with_bounding_box/} in the {@code ReFocus/ReFocus_Data} dataset).
 *
 * <p><b>Test sets</b> ({@code chartQA_h_bar_wbb.json}, {@code chartQA_v_bar_wbb.json}, {@code
 * charxiv-subfigures.json}, {@code tablevqa_wbb.json} (VWTQ), {@code tablevqa-vwtq_syn_wbb.json},
 * {@code tablevqa-vtabfact_wbb.json}): one JSON object from example id to example, read by {@link
 * #loadBenchmark}. Fields: {@code figure_path}; the question in {@code query} (CharXiv: {@code
 * prompt}); {@code answer}; charts: {@code x_values} + {@code x_bboxes} (vertical bars, mapped to
 * named columns) and {@code y_values} + {@code y_bboxes} (horizontal bars, mapped to rows); tables:
 * {@code column_headers} + {@code columns_bbox} (columns) and {@code row_starters} + {@code
 * rows_bbox} (rows). <b>Training data</b> ({@code chartqa_vcot} {@code train.jsonl}, one object per
 * line), read by {@link #loadTraining}: {@code id}, {@code query}, {@code answer}, the images in
 * {@code conversations[0].images} (or {@code images}), {@code x_values_bbox} and {@code
 * y_values_bbox} as objects from name to box.
 *
 * <p>Boxes are {@code {"x1", "y1", "x2", "y2"}} fractions of the image size, as ReFocus' tools use
 * them. Image paths in the files are relative to the folder the ReFocus scripts ran in, given here
 * as {@code imageRoot}. An answer given as a list is joined with {@code ||}, ReFocus' separator for
 * several answers. As in ReFocus (which builds a Python dict) a repeated name keeps its last box.
 * Coordinates are clipped to [0, 1]; a box left empty by that is dropped with a warning (the name
 * is then unknown to the tools). Everything else wrong is a {@link DatasetException}.
 */
public final class RefocusDatasets {
  private static final Logger LOG = LoggerFactory.getLogger(RefocusDatasets.class);

  private RefocusDatasets() {}

  /** A test set: a JSON object from id to example. */
  public static List<VqaExample> loadBenchmark(Path file, Path imageRoot) {
    JsonNode root;
    try {
      root = Mappers.json().readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ReFocus file " + file, e);
    }
    if (root == null || !root.isObject()) {
      throw new DatasetException(
          file, 0, null, null, "expected a JSON object from example id to example", null);
    }
    String source = file.getFileName().toString().replaceFirst("\\.json$", "");
    List<VqaExample> out = new ArrayList<>();
    root.fields()
        .forEachRemaining(
            f -> {
              Entry e = new Entry(f.getValue(), file, -1, f.getKey());
              if (!f.getValue().isObject()) {
                throw e.fail(null, "expected an object, got " + Entry.show(f.getValue()));
              }
              out.add(benchmarkExample(e, imageRoot, source));
            });
    return out;
  }

  /** A training file: JSONL in ReFocus' {@code chartqa_vcot} format. */
  public static List<VqaExample> loadTraining(Path file, Path imageRoot) {
    List<VqaExample> out = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int n = 0;
      String line;
      while ((line = in.readLine()) != null) {
        n++;
        if (!line.isBlank()) {
          out.add(trainingExample(VqaDatasets.parse(file, n, line), imageRoot));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ReFocus file " + file, e);
    }
    return out;
  }

  private static VqaExample benchmarkExample(Entry e, Path imageRoot, String source) {
    Path image = e.existingFile(imageRoot, e.text("figure_path"), "figure_path");
    String question = e.has("query") || !e.has("prompt") ? e.text("query") : e.text("prompt");
    Map<String, BoxSpec> columns = new LinkedHashMap<>();
    Map<String, BoxSpec> rows = new LinkedHashMap<>();
    pairs(e, "x_values", "x_bboxes", columns);
    pairs(e, "column_headers", "columns_bbox", columns);
    pairs(e, "y_values", "y_bboxes", rows);
    pairs(e, "row_starters", "rows_bbox", rows);
    return new VqaExample(
        e.key,
        List.of(image),
        question,
        answer(e),
        new NamedBoxes(rows, columns),
        source,
        e.origin());
  }

  private static VqaExample trainingExample(Entry e, Path imageRoot) {
    JsonNode images = e.node.get("images");
    String imagesField = "images";
    if (!Entry.present(images) && e.has("conversations")) {
      images = e.require("conversations").path(0).get("images");
      imagesField = "conversations[0].images";
    }
    if (!Entry.present(images) || !images.isArray() || images.isEmpty()) {
      throw e.fail(imagesField, "expected a non-empty array of image paths");
    }
    List<Path> paths = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      String path = imagesField + "[" + i + "]";
      paths.add(e.existingFile(imageRoot, e.text(images.get(i), path), path));
    }
    Map<String, BoxSpec> columns = named(e, "x_values_bbox");
    Map<String, BoxSpec> rows = named(e, "y_values_bbox");
    String id =
        e.has("id") ? e.scalarText(e.node.get("id"), "id") : e.file.getFileName() + ":" + e.line;
    String source = e.has("source") ? e.text("source") : "chartqa_vcot";
    return new VqaExample(
        id, paths, e.text("query"), answer(e), new NamedBoxes(rows, columns), source, e.origin());
  }

  private static String answer(Entry e) {
    JsonNode a = e.require("answer");
    if (!a.isArray()) {
      return e.scalarText(a, "answer");
    }
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      parts.add(e.scalarText(a.get(i), "answer[" + i + "]"));
    }
    return String.join("||", parts);
  }

  private static void pairs(
      Entry e, String namesField, String boxesField, Map<String, BoxSpec> into) {
    List<String> names = e.names(namesField);
    JsonNode boxes = e.node.get(boxesField);
    int count = Entry.present(boxes) ? boxes.size() : 0;
    if (Entry.present(boxes) && !boxes.isArray()) {
      throw e.fail(boxesField, "expected an array of boxes, got " + Entry.show(boxes));
    }
    if (names.size() != count) {
      throw e.fail(
          boxesField, names.size() + " names in '" + namesField + "' but " + count + " boxes");
    }
    for (int i = 0; i < count; i++) {
      put(e, into, names.get(i), boxes.get(i), boxesField + "[" + i + "]");
    }
  }

  private static Map<String, BoxSpec> named(Entry e, String field) {
    Map<String, BoxSpec> out = new LinkedHashMap<>();
    JsonNode v = e.node.get(field);
    if (!Entry.present(v)) {
      return out;
    }
    if (!v.isObject()) {
      throw e.fail(field, "expected an object from name to box, got " + Entry.show(v));
    }
    v.fields()
        .forEachRemaining(f -> put(e, out, f.getKey(), f.getValue(), field + "." + f.getKey()));
    return out;
  }

  private static void put(
      Entry e, Map<String, BoxSpec> into, String name, JsonNode box, String path) {
    if (!box.isObject()) {
      throw e.fail(path, "expected {\"x1\", \"y1\", \"x2\", \"y2\"}, got " + Entry.show(box));
    }
    double[] c = new double[4];
    String[] keys = {"x1", "y1", "x2", "y2"};
    for (int i = 0; i < 4; i++) {
      JsonNode v = box.get(keys[i]);
      if (!Entry.present(v) || !v.isNumber() || !Double.isFinite(v.doubleValue())) {
        throw e.fail(
            path + "." + keys[i],
            v == null ? "missing" : "expected a finite number, got " + Entry.show(v));
      }
      c[i] = Math.min(1, Math.max(0, v.doubleValue()));
    }
    if (c[2] <= c[0] || c[3] <= c[1]) {
      LOG.warn(
          "{}: box of '{}' at {} is empty after clipping to [0, 1]; dropped",
          e.origin(),
          name,
          path);
      into.remove(name);
      return;
    }
    into.put(name, e.box(c, path, BoxSpec.Units.NORMALIZED));
  }
}
