package ai.attune.iapo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.data.DatasetException;
import ai.attune.iapo.tools.Box;
import ai.attune.testsupport.FixturePaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ReFocus' test-set JSON and training JSONL, in the shapes its released code reads. */
@Tag("pure")
class RefocusDatasetsTest {
  @TempDir Path root;

  @BeforeEach
  void images() throws Exception {
    Path charts = FixturePaths.of("charts-synth");
    Files.createDirectories(root.resolve("data/ChartQA/png"));
    Files.copy(charts.resolve("images/chart-000.png"), root.resolve("data/ChartQA/png/1.png"));
    Files.copy(charts.resolve("images/chart-003.png"), root.resolve("data/ChartQA/png/2.png"));
  }

  Path json(String name, String text) throws Exception {
    Path f = root.resolve("data/" + name);
    Files.writeString(f, text);
    return f;
  }

  @Test
  void chartTableAndCharxivEntriesMapToNamedBoxes() throws Exception {
    Path f =
        json(
            "chartQA_v_bar_wbb.json",
            """
        {"17": {"figure_path": "data/ChartQA/png/1.png", "query": "Value of 2014?",
                "answer": 17, "x_values": ["2013", "2014"], "y_values": [],
                "x_bboxes": [{"x1": 0.25, "y1": 0.0, "x2": 0.5, "y2": 1.0},
                             {"x1": 0.5, "y1": 0.05, "x2": 0.75, "y2": 1.02}], "y_bboxes": []},
         "t3": {"figure_path": "data/ChartQA/png/2.png", "query": "Who?",
                "answer": ["Alice", "Bob"], "column_headers": ["Name", "Year"],
                "columns_bbox": [{"x1": 0, "y1": 0, "x2": 0.5, "y2": 1},
                                 {"x1": 0.5, "y1": 0, "x2": 1, "y2": 1}],
                "row_starters": ["Name", "Alice", "Alice"],
                "rows_bbox": [{"x1": 0, "y1": 0, "x2": 1, "y2": 0.2},
                              {"x1": 0, "y1": 0.2, "x2": 1, "y2": 0.4},
                              {"x1": 0, "y1": 0.4, "x2": 1, "y2": 0.6}]},
         "c9": {"figure_path": "data/ChartQA/png/1.png", "prompt": "How many subplots?",
                "answer": "4"}}
        """);
    List<VqaExample> ex = RefocusDatasets.loadBenchmark(f, root);
    assertThat(ex).hasSize(3);
    VqaExample chart = ex.get(0);
    assertThat(chart.id()).isEqualTo("17");
    assertThat(chart.source()).isEqualTo("chartQA_v_bar_wbb");
    assertThat(chart.answer()).isEqualTo("17");
    assertThat(chart.images()).containsExactly(root.resolve("data/ChartQA/png/1.png"));
    assertThat(chart.boxes().resolve(List.of(), List.of("2013", "2014"), 224, 168))
        .containsExactly(new Box(56, 0, 112, 168), new Box(112, 8, 168, 168));
    VqaExample table = ex.get(1);
    assertThat(table.answer()).isEqualTo("Alice||Bob");
    assertThat(table.boxes().columns().keySet()).containsExactly("Name", "Year");
    assertThat(table.boxes().rows().keySet()).containsExactly("Name", "Alice");
    assertThat(table.boxes().resolve(List.of("Alice"), List.of(), 100, 100))
        .containsExactly(new Box(0, 40, 100, 60));
    assertThat(ex.get(2).question()).isEqualTo("How many subplots?");
    assertThat(ex.get(2).boxes().isEmpty()).isTrue();
    assertThat(ex.get(2).origin()).isEqualTo(f + "#c9");
  }

  @Test
  void trainingLinesReadTheirImagesFromTheConversation() throws Exception {
    Path f =
        json(
            "train.jsonl",
            """
        {"id": "train-5", "query": "Which is largest?", "answer": "OSLO", "source": "v_bar", \
        "conversations": [{"images": ["data/ChartQA/png/2.png"], "response": "..."}], \
        "x_values_bbox": {"OSLO": {"x1": 0.1, "y1": 0.1, "x2": 0.2, "y2": 0.9}}, \
        "y_values_bbox": {}}
        """);
    VqaExample e = RefocusDatasets.loadTraining(f, root).get(0);
    assertThat(e.id()).isEqualTo("train-5");
    assertThat(e.source()).isEqualTo("v_bar");
    assertThat(e.images()).containsExactly(root.resolve("data/ChartQA/png/2.png"));
    assertThat(e.boxes().columns()).containsOnlyKeys("OSLO");
    assertThat(e.origin()).isEqualTo(f + ":1");
  }

  @Test
  void errorsNameTheExampleAndTheField() throws Exception {
    Path missing =
        json(
            "a.json",
            "{\"x\": {\"figure_path\": \"data/nope.png\", \"query\": \"q\","
                + " \"answer\": \"1\"}}");
    assertThatThrownBy(() -> RefocusDatasets.loadBenchmark(missing, root))
        .isInstanceOf(DatasetException.class)
        .hasMessage(
            missing
                + ": example 'x': field 'figure_path': image file not found: "
                + root.resolve("data/nope.png"));
    Path counts =
        json(
            "b.json",
            "{\"y\": {\"figure_path\": \"data/ChartQA/png/1.png\","
                + " \"query\": \"q\", \"answer\": \"1\", \"x_values\": [\"A\", \"B\"],"
                + " \"x_bboxes\": [{\"x1\": 0, \"y1\": 0, \"x2\": 1, \"y2\": 1}]}}");
    assertThatThrownBy(() -> RefocusDatasets.loadBenchmark(counts, root))
        .hasMessage(
            counts + ": example 'y': field 'x_bboxes': 2 names in 'x_values' but 1" + " boxes");
    Path coord =
        json(
            "c.json",
            "{\"z\": {\"figure_path\": \"data/ChartQA/png/1.png\","
                + " \"query\": \"q\", \"answer\": \"1\", \"row_starters\": [\"A\"],"
                + " \"rows_bbox\": [{\"x1\": 0, \"y1\": \"top\", \"x2\": 1, \"y2\": 1}]}}");
    assertThatThrownBy(() -> RefocusDatasets.loadBenchmark(coord, root))
        .hasMessage(
            coord
                + ": example 'z': field 'rows_bbox[0].y1': expected a finite number,"
                + " got \"top\" (string)");
    Path noQuestion =
        json(
            "d.json",
            "{\"w\": {\"figure_path\": \"data/ChartQA/png/1.png\"," + " \"answer\": \"1\"}}");
    assertThatThrownBy(() -> RefocusDatasets.loadBenchmark(noQuestion, root))
        .hasMessage(noQuestion + ": example 'w': field 'query': missing");
    Path list = json("e.json", "[1]");
    assertThatThrownBy(() -> RefocusDatasets.loadBenchmark(list, root))
        .hasMessage(list + ": expected a JSON object from example id to example");
  }

  @Test
  void emptyBoxesAreDroppedNotFatal() throws Exception {
    Path f =
        json(
            "f.json",
            "{\"k\": {\"figure_path\": \"data/ChartQA/png/1.png\","
                + " \"query\": \"q\", \"answer\": \"1\", \"x_values\": [\"A\", \"B\"],"
                + " \"x_bboxes\": [{\"x1\": 0.3, \"y1\": 0, \"x2\": 0.3, \"y2\": 1},"
                + " {\"x1\": -0.01, \"y1\": 0, \"x2\": 0.2, \"y2\": 1}]}}");
    VqaExample e = RefocusDatasets.loadBenchmark(f, root).get(0);
    assertThat(e.boxes().columns()).containsOnlyKeys("B");
    assertThat(e.boxes().resolve(List.of(), List.of("B"), 100, 50))
        .containsExactly(new Box(0, 0, 20, 50));
  }
}
