package ai.attune.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chart both trainers draw: round step axes, finite points only, a real PNG on disk. */
@Tag("pure")
class StepPlotTest {
  @TempDir Path tmp;

  @Test
  void stepAxisEndsAtTheSmallestOneTwoOrFiveTimesAPowerOfTen() {
    assertThat(StepPlot.roundTop(0)).isEqualTo(1);
    assertThat(StepPlot.roundTop(1)).isEqualTo(1);
    assertThat(StepPlot.roundTop(7)).isEqualTo(10);
    assertThat(StepPlot.roundTop(10)).isEqualTo(10);
    assertThat(StepPlot.roundTop(11)).isEqualTo(20);
    assertThat(StepPlot.roundTop(380)).isEqualTo(500);
    assertThat(StepPlot.roundTop(1500)).isEqualTo(2000);
    assertThat(StepPlot.roundTop(5001)).isEqualTo(10000);
  }

  @Test
  void curvesDropNonFinitePointsAndAverageOverTheirWindow() {
    StepPlot.Curve c = new StepPlot.Curve();
    c.add(1, 4);
    c.add(2, Double.NaN);
    c.add(3, 2);
    c.add(4, Double.POSITIVE_INFINITY);
    c.add(5, 6);
    assertThat(c.size()).isEqualTo(3);
    assertThat(c.values()).containsExactly(4.0, 2.0, 6.0);
    assertThat(c.movingAverage(2).values()).containsExactly(4.0, 3.0, 4.0);
  }

  @Test
  void writesAPngOfTheChartsSizeAndOneForACurveWithoutFinitePoints() throws IOException {
    StepPlot.Curve loss = new StepPlot.Curve();
    for (int step = 1; step <= 37; step++) {
      loss.add(step, 1.0 / step);
    }
    Path png = tmp.resolve("loss.png");
    new StepPlot("loss", "loss")
        .rightAxis("accuracy")
        .add("loss", loss, 0, StepPlot.COLORS[0], false)
        .write(png);
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(900);
    assertThat(image.getHeight()).isEqualTo(520);

    StepPlot.Curve empty = new StepPlot.Curve();
    empty.add(1, Double.NaN);
    Path none = tmp.resolve("none.png");
    new StepPlot("nothing", "y").add("nan", empty, 0, StepPlot.COLORS[1], true).write(none);
    assertThat(ImageIO.read(none.toFile()).getWidth()).isEqualTo(900);
    assertThat(Files.list(tmp)).allMatch(p -> p.getFileName().toString().endsWith(".png"));
  }
}
