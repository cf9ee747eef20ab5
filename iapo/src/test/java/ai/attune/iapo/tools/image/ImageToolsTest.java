package ai.attune.iapo.tools.image;

import static ai.attune.iapo.tools.ToolTestImages.H;
import static ai.attune.iapo.tools.ToolTestImages.W;
import static ai.attune.iapo.tools.ToolTestImages.call;
import static ai.attune.iapo.tools.ToolTestImages.pattern;
import static ai.attune.iapo.tools.ToolTestImages.pixels;
import static ai.attune.iapo.tools.ToolTestImages.rgbAt;
import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.iapo.tools.Box;
import ai.attune.iapo.tools.BoxSpec;
import ai.attune.iapo.tools.NamedBoxes;
import ai.attune.iapo.tools.ToolContext;
import ai.attune.iapo.tools.ToolRegistry;
import ai.attune.iapo.tools.ToolResult;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Each image tool's output, pixel by pixel, and that the input image is never modified. */
@Tag("pure")
class ImageToolsTest {
  static final Box ROW_TOTAL = new Box(0, 30, 64, 36);
  static final Box COL_2021 = new Box(40, 0, 48, 48);

  final ToolRegistry registry = ImageTools.registry();
  final BufferedImage input = pattern();
  final int[] before = pixels(input);
  final ToolContext ctx = ToolContext.of(List.of(input), boxes());

  static NamedBoxes boxes() {
    Map<String, BoxSpec> rows = new LinkedHashMap<>();
    rows.put("2020", BoxSpec.pixels(0, 20, 64, 26));
    rows.put("Total", BoxSpec.pixels(0, 30, 64, 36));
    Map<String, BoxSpec> cols = new LinkedHashMap<>();
    cols.put("2021", BoxSpec.normalized(40 / 64.0, 0, 48 / 64.0, 1));
    return new NamedBoxes(rows, cols);
  }

  @AfterEach
  void inputIsUntouched() {
    assertThat(pixels(input)).isEqualTo(before);
  }

  BufferedImage run(String tool, String args) {
    ToolResult r = registry.execute(call(tool, args), ctx);
    assertThat(r.ok()).as("%s %s: %s", tool, args, r.error()).isTrue();
    return r.image();
  }

  String fail(String tool, String args) {
    ToolResult r = registry.execute(call(tool, args), ctx);
    assertThat(r.ok()).isFalse();
    return r.error();
  }

  /** Indices of pixels that differ between the input and {@code out}. */
  static boolean[] changed(BufferedImage out) {
    int[] a = pixels(pattern());
    int[] b = pixels(out);
    boolean[] diff = new boolean[a.length];
    for (int i = 0; i < a.length; i++) {
      diff[i] = a[i] != b[i];
    }
    return diff;
  }

  static boolean inAny(int x, int y, Box... boxes) {
    for (Box b : boxes) {
      if (b.contains(x, y)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void cropReturnsACopyOfTheSubimage() {
    BufferedImage out = run("crop", "{\"bbox\": [5, 7, 25, 19]}");
    assertThat(out.getWidth()).isEqualTo(20);
    assertThat(out.getHeight()).isEqualTo(12);
    assertThat(pixels(out)).isEqualTo(pixels(input.getSubimage(5, 7, 20, 12)));
    out.setRGB(0, 0, 0x123456);
    assertThat(input.getRGB(5, 7) & 0xFFFFFF).isEqualTo(rgbAt(5, 7));
  }

  @Test
  void zoomEnlargesUntilTheShortSideReaches224() {
    BufferedImage out = run("zoom_in", "{\"bbox\": [0, 0, 56, 28]}");
    assertThat(out.getWidth()).isEqualTo(448);
    assertThat(out.getHeight()).isEqualTo(224);
    BufferedImage half = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        half.setRGB(x, y, x < 32 ? 0xCC2200 : 0x0033AA);
      }
    }
    ToolContext two = ToolContext.of(List.of(half), NamedBoxes.EMPTY);
    BufferedImage z =
        registry
            .execute(call("zoom_in", "{\"bbox\": [24, 10, 40, 18]," + " \"factor\": 3}"), two)
            .image();
    assertThat(z.getWidth()).isEqualTo(48);
    assertThat(z.getHeight()).isEqualTo(24);
    for (int y = 0; y < 24; y++) {
      for (int x = 0; x < 48; x++) {
        // bicubic's kernel reaches 2 source pixels (6 output pixels) past the edge at x = 24
        if (x < 18) {
          assertThat(z.getRGB(x, y) & 0xFFFFFF).as("(%d, %d)", x, y).isEqualTo(0xCC2200);
        } else if (x >= 30) {
          assertThat(z.getRGB(x, y) & 0xFFFFFF).as("(%d, %d)", x, y).isEqualTo(0x0033AA);
        }
      }
    }
  }

  @Test
  void zoomByOneIsTheCropAndLargeFactorsAreRefused() {
    BufferedImage out = run("zoom_in", "{\"bbox\": [3, 4, 33, 44], \"factor\": 1}");
    assertThat(pixels(out)).isEqualTo(pixels(input.getSubimage(3, 4, 30, 40)));
    assertThat(
            new ZoomInTool(16)
                .execute(
                    ai.attune.iapo.tools.ToolTestImages.json(
                        "{\"bbox\": [0, 0, 64, 48], \"image\": 0}"),
                    ctx)
                .image()
                .getWidth())
        .isEqualTo(64);
    ToolContext big =
        ToolContext.of(
            List.of(new BufferedImage(600, 300, BufferedImage.TYPE_INT_RGB)), NamedBoxes.EMPTY);
    ToolResult r =
        registry.execute(call("zoom_in", "{\"bbox\": [0, 0, 600, 300]," + " \"factor\": 4}"), big);
    assertThat(r.error())
        .isEqualTo(
            "zoom_in: factor 4 would make the long side 2400 pixels;"
                + " the most allowed is 2048");
  }

  @Test
  void highlightTintsTheRegionAndLeavesTheRestWhenDimIsZero() {
    BufferedImage out =
        run(
            "highlight",
            "{\"bbox\": [10, 10, 20, 15], \"color\": \"blue\"," + " \"alpha\": 0.5, \"dim\": 0}");
    Box box = new Box(10, 10, 20, 15);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int p = rgbAt(x, y);
        int expected =
            box.contains(x, y)
                ? (Math.round(((p >> 16) & 0xff) * 0.5f) << 16)
                    | (Math.round(((p >> 8) & 0xff) * 0.5f) << 8)
                    | Math.round((p & 0xff) * 0.5f + 127.5f)
                : p;
        assertThat(out.getRGB(x, y) & 0xFFFFFF).as("(%d, %d)", x, y).isEqualTo(expected);
      }
    }
  }

  @Test
  void highlightFadesTheRestTowardWhite() {
    BufferedImage out = run("highlight", "{\"bbox\": [10, 10, 20, 15]}");
    int p = rgbAt(40, 30);
    int r = (int) Math.round(((p >> 16) & 0xff) + (255 - ((p >> 16) & 0xff)) * 0.5);
    assertThat((out.getRGB(40, 30) >> 16) & 0xff).isEqualTo(r);
    int q = rgbAt(12, 12);
    assertThat((out.getRGB(12, 12) >> 16) & 0xff)
        .isEqualTo((int) Math.round(((q >> 16) & 0xff) + (255 - ((q >> 16) & 0xff)) * 0.3));
  }

  @Test
  void maskFillsExactlyTheRegion() {
    BufferedImage out = run("mask", "{\"bbox\": [3, 4, 13, 9], \"color\": \"black\"}");
    Box box = new Box(3, 4, 13, 9);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        assertThat(out.getRGB(x, y) & 0xFFFFFF)
            .as("(%d, %d)", x, y)
            .isEqualTo(box.contains(x, y) ? 0 : rgbAt(x, y));
      }
    }
  }

  @Test
  void drawBoxChangesOnlyTheOutlineBand() {
    BufferedImage out = run("draw_box", "{\"bbox\": [10, 10, 30, 25], \"width\": 3}");
    Box outer = new Box(10, 10, 30, 25);
    Box inner = new Box(13, 13, 27, 22);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        boolean band = outer.contains(x, y) && !inner.contains(x, y);
        assertThat(out.getRGB(x, y) & 0xFFFFFF)
            .as("(%d, %d)", x, y)
            .isEqualTo(band ? 0xFF0000 : rgbAt(x, y));
      }
    }
  }

  @Test
  void namedRowsAndColumnsResolveToTheUnionOfTheirBoxes() {
    assertThat(ctx.boxes().resolve(List.of("Total"), List.of("2021"), W, H))
        .containsExactly(ROW_TOTAL, COL_2021);
    assertThat(Box.span(List.of(ROW_TOTAL, COL_2021))).isEqualTo(new Box(0, 0, 64, 48));
    ToolResult r =
        registry.execute(
            call("mask", "{\"rows\": [\"Total\"]," + " \"columns\": [\"2021\"]}"), ctx);
    assertThat(r.text())
        .isEqualTo("Masked 2 regions [0, 30, 64, 36], [40, 0, 48, 48] of" + " image 0.");
    boolean[] diff = changed(r.image());
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        assertThat(r.image().getRGB(x, y) & 0xFFFFFF)
            .as("(%d, %d)", x, y)
            .isEqualTo(inAny(x, y, ROW_TOTAL, COL_2021) ? 0xFFFFFF : rgbAt(x, y));
      }
    }
    assertThat(diff).contains(true);
  }

  @Test
  void badRegionsAreToolErrors() {
    assertThat(fail("highlight", "{\"rows\": [\"Totl\"]}"))
        .isEqualTo("highlight: unknown row 'Totl'; known rows: 2020, Total");
    assertThat(fail("draw_box", "{\"columns\": [\"2022\"]}"))
        .isEqualTo("draw_box: unknown column '2022'; known columns: 2021");
    assertThat(fail("mask", "{\"bbox\": [0, 0, 4, 4], \"rows\": [\"Total\"]}"))
        .isEqualTo("mask: give either bbox or rows/columns, not both");
    assertThat(fail("mask", "{}"))
        .isEqualTo("mask: give the region to edit: a bbox, or rows and/or columns by name");
    run("crop", "{\"bbox\": [0, 0, 32, 24]}");
    assertThat(fail("mask", "{\"rows\": [\"Total\"]}"))
        .isEqualTo(
            "mask: rows and columns are named on image 0 (64x48), but image 1 is 32x24;"
                + " use bbox for this image");
    ToolContext none = ToolContext.of(List.of(pattern()), NamedBoxes.EMPTY);
    assertThat(registry.execute(call("mask", "{\"rows\": [\"Total\"]}"), none).error())
        .isEqualTo("mask: unknown row 'Total': this image has no named rows; use bbox instead");
  }
}
