package ai.attune.iapo.tools;

import static ai.attune.iapo.tools.ToolTestImages.call;
import static ai.attune.iapo.tools.ToolTestImages.json;
import static ai.attune.iapo.tools.ToolTestImages.pattern;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.iapo.tools.image.ImageTools;
import ai.attune.models.qwen2vl.chat.ParsedAssistantTurn;
import ai.attune.models.qwen2vl.chat.ToolCallParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad call becomes an error result that says what is wrong, and is counted. */
@Tag("pure")
class ToolRegistryTest {
  final ToolRegistry registry = ImageTools.registry();
  final ToolContext ctx = ToolContext.of(List.of(pattern()), NamedBoxes.EMPTY);

  /** A tool that fails the way a bug would. */
  static class Exploding implements Tool {
    @Override
    public String name() {
      return "explode";
    }

    @Override
    public String description() {
      return "always fails";
    }

    @Override
    public ObjectNode parameters() {
      return (ObjectNode) json("{\"type\": \"object\", \"properties\": {}}");
    }

    @Override
    public ToolResult execute(JsonNode arguments, ToolContext ctx) {
      throw new IllegalStateException("boom");
    }
  }

  String error(String name, String args) {
    ToolResult r = registry.execute(call(name, args), ctx);
    assertThat(r.ok()).as("result of %s %s", name, args).isFalse();
    assertThat(r.textForModel()).isEqualTo("Error: " + r.error());
    return r.error();
  }

  @Test
  void definitionsKeepRegistrationOrder() {
    assertThat(registry.names())
        .containsExactly("crop", "zoom_in", "highlight", "mask", "draw_box");
    assertThat(
            registry
                .definitions()
                .get(0)
                .toJson()
                .get("function")
                .get("parameters")
                .get("required")
                .toString())
        .isEqualTo("[\"bbox\"]");
  }

  @Test
  void aSuccessfulCallAddsItsImageToTheContext() {
    ToolResult r = registry.execute(call("crop", "{\"bbox\": [0, 0, 10, 8]}"), ctx);
    assertThat(r.ok()).isTrue();
    assertThat(r.imageIndex()).isEqualTo(1);
    assertThat(ctx.image(1)).isSameAs(r.image());
    assertThat(r.textForModel())
        .isEqualTo("Cropped [0, 0, 10, 8] of image 0: 10x8. The result is image 1.");
    ToolResult again = registry.execute(call("crop", "{\"bbox\": [0, 0, 5, 4]}"), ctx);
    assertThat(again.text()).contains("of image 1");
    assertThat(ctx.stats()).isEqualTo(new ToolCallStats(2, 0, 0));
  }

  @Test
  void unknownToolNamesTheAvailableOnes() {
    assertThat(error("rotate", "{}"))
        .isEqualTo(
            "unknown tool 'rotate'; available tools: crop,"
                + " zoom_in, highlight, mask, draw_box");
  }

  @Test
  void schemaViolationsAreReported() {
    assertThat(error("crop", "{}"))
        .isEqualTo("invalid arguments for 'crop': missing required field 'bbox'");
    assertThat(error("crop", "{\"bbox\": [\"a\", 0, 10, 10]}"))
        .isEqualTo(
            "invalid arguments for 'crop': bbox[0]: expected an integer, got \"a\"" + " (string)");
    assertThat(error("crop", "{\"bbox\": [0, 0, 10]}"))
        .isEqualTo("invalid arguments for 'crop': bbox: expected exactly 4 items, got 3");
    assertThat(error("crop", "{\"bbox\": \"0,0,10,10\"}"))
        .isEqualTo(
            "invalid arguments for 'crop': bbox: expected an array, got \"0,0,10,10\""
                + " (string)");
    assertThat(error("crop", "{\"bbox\": [0, 0, 10, 10], \"box\": 1}"))
        .isEqualTo(
            "invalid arguments for 'crop': unknown field 'box'; known fields: bbox," + " image");
    assertThat(error("zoom_in", "{\"bbox\": [0, 0, 10, 10], \"factor\": 20}"))
        .isEqualTo("invalid arguments for 'zoom_in': factor: must be at most 8, got 20");
  }

  @Test
  void boxesThatDoNotFitTheImageAreRejected() {
    assertThat(error("crop", "{\"bbox\": [0, 0, 300, 40]}"))
        .isEqualTo(
            "crop: bbox [0, 0, 300, 40] reaches past image 0, which is 64x48"
                + " (width x height)");
    assertThat(error("crop", "{\"bbox\": [10, 0, 5, 40]}"))
        .isEqualTo("crop: bbox [10, 0, 5, 40]: x2 (5) must be greater than x1 (10)");
    assertThat(error("mask", "{\"bbox\": [0, 9, 5, 9]}"))
        .isEqualTo("mask: bbox [0, 9, 5, 9]: y2 (9) must be greater than y1 (9)");
    assertThat(error("crop", "{\"bbox\": [0, 0, 5, 5], \"image\": 3}"))
        .isEqualTo("crop: there is no image 3; images are numbered 0 to 0");
  }

  @Test
  void aToolThatThrowsGivesAnErrorResult() {
    registry.register(new Exploding());
    assertThat(error("explode", "{}"))
        .isEqualTo("tool 'explode' failed: IllegalStateException: boom");
    assertThat(ctx.stats()).isEqualTo(new ToolCallStats(1, 0, 1));
  }

  @Test
  void anUnreadableImageGivesAnErrorResult(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("chart.png");
    Files.write(bad, new byte[] {1, 2, 3, 4, 5});
    ToolContext files =
        ToolContext.ofFiles(List.of(bad, dir.resolve("missing.png")), NamedBoxes.EMPTY);
    ToolResult r = registry.execute(call("crop", "{\"bbox\": [0, 0, 5, 5], \"image\": 0}"), files);
    assertThat(r.ok()).isFalse();
    assertThat(r.error())
        .isEqualTo(
            "crop: cannot read the image: "
                + bad
                + ": not an image format javax.imageio can read (expected PNG or JPEG)");
    ToolResult missing = registry.execute(call("zoom_in", "{\"bbox\": [0, 0, 5, 5]}"), files);
    assertThat(missing.error())
        .isEqualTo(
            "zoom_in: cannot read the image: "
                + dir.resolve("missing.png")
                + ": image file not found");
    assertThat(files.stats()).isEqualTo(new ToolCallStats(2, 0, 2));
  }

  @Test
  void malformedCallsAreCountedAsParseFailures() {
    ParsedAssistantTurn turn =
        ToolCallParser.parse(
            "<tool_call>\n{\"name\": \"crop\","
                + " \"arguments\": {\"bbox\": [0, 0, 4, 4]}}\n</tool_call>\n<tool_call>\n{\"name\": crop}"
                + "\n</tool_call>");
    for (var c : turn.calls()) {
      registry.execute(c, ctx);
    }
    ToolResult r = registry.parseFailure(turn.errors().get(0), ctx);
    assertThat(r.ok()).isFalse();
    assertThat(r.error()).startsWith("the tool call is not valid JSON");
    registry.execute(call("rotate", "{}"), ctx);
    assertThat(ctx.stats()).isEqualTo(new ToolCallStats(3, 1, 1));
    assertThat(ctx.stats().succeeded()).isEqualTo(1);
  }

  @Test
  void registrationChecksNamesAndSchemas() {
    assertThatThrownBy(() -> registry.register(new ai.attune.iapo.tools.image.CropTool()))
        .hasMessage("a tool named 'crop' is already registered");
    Tool bad =
        new Exploding() {
          @Override
          public String name() {
            return "bad";
          }

          @Override
          public ObjectNode parameters() {
            return (ObjectNode) json("{\"type\": \"object\", \"oneOf\": []}");
          }
        };
    assertThatThrownBy(() -> registry.register(bad))
        .hasMessageStartingWith("tool 'bad': unsupported schema keyword 'oneOf'");
  }
}
