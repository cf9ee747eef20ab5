package ai.attune.iapo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.core.config.Mappers;
import ai.attune.core.data.DatasetException;
import ai.attune.iapo.tools.Box;
import ai.attune.iapo.tools.ToolContext;
import ai.attune.iapo.tools.ToolResult;
import ai.attune.iapo.tools.image.ImageTools;
import ai.attune.models.qwen2vl.chat.ToolCall;
import ai.attune.testsupport.FixturePaths;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("pure")
class VqaDatasetsTest {
  static final Path CHARTS = FixturePaths.of("charts-synth");

  @Test
  void loadsTheCommittedChartSet() throws Exception {
    List<VqaExample> train = VqaDatasets.load(CHARTS.resolve("train.jsonl"));
    List<VqaExample> test = VqaDatasets.load(CHARTS.resolve("test.jsonl"));
    assertThat(train).hasSize(36);
    assertThat(test).hasSize(12);
    VqaExample first = train.get(0);
    assertThat(first.id()).isEqualTo("chart-000-q0");
    assertThat(first.images()).containsExactly(CHARTS.resolve("images/chart-000.png"));
    assertThat(first.question()).isEqualTo("What is the value of 2014?");
    assertThat(first.answer()).isEqualTo("17");
    assertThat(first.source()).isEqualTo("charts-synth");
    assertThat(first.origin()).isEqualTo(CHARTS.resolve("train.jsonl") + ":1");
    assertThat(first.boxes().columns().keySet())
        .containsExactly("2011", "2012", "2013", "2014", "2015");
    assertThat(first.boxes().rows()).isEmpty();
    BufferedImage img = first.loadImages().get(0);
    assertThat(img.getWidth()).isEqualTo(224);
    assertThat(VqaDatasets.load(CHARTS.resolve("train.jsonl"), 5)).hasSize(5);
  }

  @Test
  void aLoadedExampleDrivesTheFocusToolsByName() {
    VqaExample ex = VqaDatasets.load(CHARTS.resolve("train.jsonl")).get(0);
    ToolContext ctx = ex.toolContext();
    ToolResult r =
        ImageTools.registry()
            .execute(
                new ToolCall(
                    "mask",
                    Mappers.json()
                        .createObjectNode()
                        .set("columns", Mappers.json().createArrayNode().add("2014"))),
                ctx);
    assertThat(r.ok()).as("%s", r.error()).isTrue();
    assertThat(r.text()).isEqualTo("Masked [139, 6, 179, 168] of image 0.");
    Box bar2014 = new Box(147, 28, 171, 156);
    assertThat(r.image().getRGB(150, 100) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    assertThat(ctx.image(0).getRGB(150, 100) & 0xFFFFFF).isNotEqualTo(0xFFFFFF);
    assertThat(bar2014.contains(150, 100)).isTrue();
  }

  Path write(Path dir, String... lines) throws Exception {
    Files.createDirectories(dir.resolve("img"));
    Files.copy(CHARTS.resolve("images/chart-000.png"), dir.resolve("img/a.png"));
    Path f = dir.resolve("data.jsonl");
    Files.write(f, List.of(lines));
    return f;
  }

  String error(Path dir, String badLine) throws Exception {
    Path f =
        write(dir, "{\"image\": \"img/a.png\", \"question\": \"q\", \"answer\": 3}", "", badLine);
    assertThat(VqaDatasets.load(f, 1)).hasSize(1);
    DatasetException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            DatasetException.class, () -> VqaDatasets.load(f));
    assertThat(e.file()).isEqualTo(f);
    assertThat(e.line()).isEqualTo(3);
    return e.getMessage().substring((f + ":3: ").length());
  }

  @Test
  void missingFieldsNameFileLineAndField(@TempDir Path dir) throws Exception {
    assertThat(error(dir, "{\"image\": \"img/a.png\", \"answer\": \"x\"}"))
        .isEqualTo("field 'question': missing");
  }

  @Test
  void missingImagesAreFoundAtLoad(@TempDir Path dir) throws Exception {
    assertThat(
            error(
                dir,
                "{\"images\": [\"img/a.png\", \"img/b.png\"], \"question\": \"q\","
                    + " \"answer\": \"x\"}"))
        .isEqualTo("field 'images[1]': image file not found: " + dir.resolve("img/b.png"));
  }

  @Test
  void badBoxesAndShapesAreReported(@TempDir Path dir) throws Exception {
    assertThat(
            error(
                dir,
                "{\"image\": \"img/a.png\", \"question\": \"q\", \"answer\": \"x\","
                    + " \"boxes\": {\"rows\": {\"Total\": [10, 5, 4, 20]}}}"))
        .isEqualTo(
            "field 'boxes.rows.Total': bad box [10, 5, 4, 20]: need 0 <= x1 < x2 and"
                + " 0 <= y1 < y2");
  }

  @Test
  void otherShapeErrors(@TempDir Path dir) throws Exception {
    Path f =
        write(
            dir,
            "{\"question\": \"q\", \"answer\": \"x\"}",
            "{\"image\": \"img/a.png\", \"images\": [\"img/a.png\"], \"question\": \"q\","
                + " \"answer\": 1}",
            "{\"image\": \"img/a.png\", \"question\": \"q\", \"answer\": \"x\", \"boxes\":"
                + " {\"columns\": {\"A\": [1, 2, 3]}}}",
            "{\"image\": \"img/a.png\", \"question\": \"q\", \"answer\": \"x\", \"boxes\":"
                + " {\"cells\": {}}}",
            "{\"image\": \"img/a.png\", \"question\": \"  \", \"answer\": \"x\"}",
            "{\"image\": \"img/a.png\", \"question\": \"q\", \"answer\": [\"x\"]}",
            "[1, 2]",
            "{\"image\": ");
    String[] expected = {
      "field 'image': missing (give 'image' or 'images')",
      "field 'images': give either 'image' or 'images', not both",
      "field 'boxes.columns.A': expected a box [x1, y1, x2, y2], got [1,2,3] (array)",
      "field 'boxes.cells': unknown kind of box; expected 'rows' or 'columns'",
      "field 'question': is blank",
      "field 'answer': expected a string or a number, got [\"x\"] (array)",
      "expected a JSON object, got [1,2] (array)",
      "not valid JSON: "
    };
    List<String> lines = Files.readAllLines(f);
    for (int i = 0; i < expected.length; i++) {
      Path one = dir.resolve("one-" + i + ".jsonl");
      Files.writeString(one, lines.get(i) + "\n");
      int n = i;
      assertThatThrownBy(() -> VqaDatasets.load(one))
          .isInstanceOf(DatasetException.class)
          .as("line %d", n)
          .hasMessageStartingWith(one + ":1: " + expected[i]);
    }
  }
}
