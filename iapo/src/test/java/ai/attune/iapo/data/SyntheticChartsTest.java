package ai.attune.iapo.data;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.iapo.data.BarChart.Orientation;
import ai.attune.iapo.data.SyntheticCharts.ChartSample;
import ai.attune.iapo.data.SyntheticCharts.Options;
import ai.attune.iapo.tools.Box;
import ai.attune.testsupport.FixturePaths;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator is reproducible, its boxes are where its pixels are, its answers are right. */
@Tag("pure")
class SyntheticChartsTest {
  static final List<ChartSample> SAMPLES = SyntheticCharts.generate(40, 7L, Options.DEFAULT);

  static int rgb(BufferedImage img, int x, int y) {
    return img.getRGB(x, y) & 0xFFFFFF;
  }

  static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  @Test
  void sameSeedWritesIdenticalBytes(@TempDir Path tmp) throws Exception {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    SyntheticCharts.write(a, 6, 2, 99L, Options.DEFAULT);
    SyntheticCharts.write(b, 6, 2, 99L, Options.DEFAULT);
    List<Path> fa = files(a);
    assertThat(fa).hasSize(6 + 2);
    assertThat(fa.stream().map(p -> a.relativize(p).toString()))
        .containsExactlyElementsOf(files(b).stream().map(p -> b.relativize(p).toString()).toList());
    for (Path p : fa) {
      assertThat(Files.readAllBytes(b.resolve(a.relativize(p))))
          .as("%s", p)
          .isEqualTo(Files.readAllBytes(p));
    }
    assertThat(Files.readAllLines(a.resolve("train.jsonl"))).hasSize(4 * 2);
    assertThat(Files.readAllLines(a.resolve("test.jsonl"))).hasSize(2 * 2);
    Path c = tmp.resolve("c");
    SyntheticCharts.write(c, 6, 2, 100L, Options.DEFAULT);
    assertThat(Files.readString(c.resolve("train.jsonl")))
        .isNotEqualTo(Files.readString(a.resolve("train.jsonl")));
    BufferedImage img = ImageIO.read(a.resolve("images/chart-000.png").toFile());
    assertThat(img.getWidth()).isEqualTo(224);
    assertThat(img.getHeight()).isEqualTo(168);
  }

  @Test
  void theCommittedSetIsWhatTheSeedGives(@TempDir Path tmp) throws Exception {
    Path committed = FixturePaths.of("charts-synth");
    SyntheticCharts.write(tmp, 24, 6, 20260611L, Options.DEFAULT);
    for (String f : List.of("train.jsonl", "test.jsonl")) {
      assertThat(Files.readString(tmp.resolve(f)))
          .as(f)
          .isEqualTo(Files.readString(committed.resolve(f)));
    }
    for (int i = 0; i < 24; i++) {
      String name = String.format("images/chart-%03d.png", i);
      BufferedImage mine = ImageIO.read(tmp.resolve(name).toFile());
      BufferedImage theirs = ImageIO.read(committed.resolve(name).toFile());
      assertThat(mine.getRGB(0, 0, 224, 168, null, 0, 224))
          .as(name)
          .isEqualTo(theirs.getRGB(0, 0, 224, 168, null, 0, 224));
    }
  }

  @Test
  void barBoxesHoldExactlyTheBarPixels() {
    int bars = 0;
    for (ChartSample s : SAMPLES) {
      BufferedImage img = s.rendered().image();
      boolean vertical = s.chart().orientation() == Orientation.VERTICAL;
      for (int i = 0; i < s.chart().size(); i++) {
        Box b = s.rendered().bars().get(i);
        int color = s.chart().colors().get(i);
        for (int y = b.y1(); y < b.y2(); y++) {
          for (int x = b.x1(); x < b.x2(); x++) {
            assertThat(rgb(img, x, y)).as("%s bar %d (%d, %d)", s.id(), i, x, y).isEqualTo(color);
          }
        }
        for (int x = b.x1(); x < b.x2(); x++) {
          assertThat(rgb(img, x, b.y1() - 1))
              .as("%s above bar %d", s.id(), i)
              .isEqualTo(BarChartRenderer.BACKGROUND);
          assertThat(rgb(img, x, b.y2()))
              .as("%s below bar %d", s.id(), i)
              .isEqualTo(vertical ? BarChartRenderer.AXIS : BarChartRenderer.BACKGROUND);
        }
        for (int y = b.y1(); y < b.y2(); y++) {
          assertThat(rgb(img, b.x1() - 1, y))
              .as("%s left of bar %d", s.id(), i)
              .isEqualTo(vertical ? BarChartRenderer.BACKGROUND : BarChartRenderer.AXIS);
          assertThat(rgb(img, b.x2(), y))
              .as("%s right of bar %d", s.id(), i)
              .isEqualTo(BarChartRenderer.BACKGROUND);
        }
        assertThat(s.rendered().slots().get(i).contains(b.x1(), b.y1())).isTrue();
        bars++;
      }
    }
    assertThat(bars).isGreaterThan(100);
    assertThat(SAMPLES.stream().map(s -> s.chart().orientation()).distinct()).hasSize(2);
  }

  @Test
  void labelBoxesHoldTheLabelText() {
    for (ChartSample s : SAMPLES) {
      BufferedImage img = s.rendered().image();
      for (int i = 0; i < s.chart().size(); i++) {
        Box l = s.rendered().labels().get(i);
        int text = 0;
        for (int y = l.y1(); y < l.y2(); y++) {
          for (int x = l.x1(); x < l.x2(); x++) {
            int c = rgb(img, x, y);
            assertThat(c).isIn(BarChartRenderer.TEXT, BarChartRenderer.BACKGROUND);
            text += c == BarChartRenderer.TEXT ? 1 : 0;
          }
        }
        assertThat(text).as("%s label %d", s.id(), i).isGreaterThan(5);
        for (int x = l.x1() - 1; x <= l.x2(); x++) {
          assertThat(rgb(img, x, l.y1() - 1)).isEqualTo(BarChartRenderer.BACKGROUND);
          assertThat(rgb(img, x, l.y2())).isEqualTo(BarChartRenderer.BACKGROUND);
        }
        assertThat(PixelFont.width(s.chart().labels().get(i))).isEqualTo(l.width());
      }
    }
  }

  @Test
  void answersFollowFromTheValuesAndTheDrawing() {
    int asked = 0;
    for (ChartSample s : SAMPLES) {
      BarChart c = s.chart();
      boolean vertical = c.orientation() == Orientation.VERTICAL;
      int tallest = 0;
      int shortest = 0;
      for (int i = 0; i < c.size(); i++) {
        Box b = s.rendered().bars().get(i);
        Box best = s.rendered().bars().get(tallest);
        Box worst = s.rendered().bars().get(shortest);
        tallest = (vertical ? b.height() > best.height() : b.width() > best.width()) ? i : tallest;
        shortest =
            (vertical ? b.height() < worst.height() : b.width() < worst.width()) ? i : shortest;
      }
      for (ChartQuestion q : s.questions()) {
        asked++;
        switch (q.kind()) {
          case HIGHEST ->
              assertThat(q.answer())
                  .isEqualTo(c.labels().get(tallest))
                  .isEqualTo(c.labels().get(c.highest()));
          case LOWEST -> assertThat(q.answer()).isEqualTo(c.labels().get(shortest));
          case VALUE -> {
            int i = c.labels().indexOf(q.labels().get(0));
            assertThat(q.question()).isEqualTo("What is the value of " + c.labels().get(i) + "?");
            assertThat(q.answer()).isEqualTo(String.valueOf(c.values().get(i)));
          }
          case COMPARE -> {
            int a = c.labels().indexOf(q.labels().get(0));
            int b = c.labels().indexOf(q.labels().get(1));
            assertThat(a).isNotEqualTo(b);
            assertThat(q.answer()).isEqualTo(c.values().get(a) > c.values().get(b) ? "Yes" : "No");
          }
        }
      }
      assertThat(s.questions().stream().map(ChartQuestion::kind).distinct())
          .hasSize(s.questions().size());
    }
    assertThat(asked).isEqualTo(80);
  }
}
