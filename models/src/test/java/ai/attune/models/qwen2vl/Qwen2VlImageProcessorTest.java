package ai.attune.models.qwen2vl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.attune.models.TestData;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pixel_values and image_grid_thw against HF's Qwen2-VL image processor on the fixture image. */
@Tag("engine")
class Qwen2VlImageProcessorTest {
  private static final String MODEL = "qwen2_5_vl-tiny";

  @Test
  void fixtureImageMatchesHf() {
    Qwen2VlImageProcessor processor = Qwen2VlImageProcessor.load(TestData.dir(MODEL));
    assertThat(processor.config()).isEqualTo(Qwen2VlImageProcessorConfig.DEFAULTS);
    ProcessedImage img = processor.process(TestData.dir(MODEL).resolve("image.png"));

    long[] refGrid = TestData.referenceLongs(MODEL, "image_grid_thw");
    assertThat(img.gridThw()).containsExactly(refGrid).containsExactly(1, 6, 8);
    assertThat(img.shape()).containsExactly(48, 1176);
    float[] ref = TestData.referenceFloats(MODEL, "pixel_values");
    double mean = meanAbsDiff(img.pixelValues(), ref);
    double max = TestData.maxAbsDiff(img.pixelValues(), ref);
    System.out.printf("pixel_values vs HF: mean abs diff %.3e, max abs diff %.3e%n", mean, max);
    assertThat(mean).isLessThan(2e-2);
    // One 8-bit level is 1/255/std ~ 0.0146 after normalisation: no value is off by more.
    assertThat(max).isLessThan(0.02);

    long imagePads =
        Arrays.stream(TestData.referenceLongs(MODEL, "input_ids")).filter(id -> id == 5).count();
    assertThat(img.numImageTokens()).isEqualTo(12).isEqualTo((int) imagePads);
  }

  @Test
  void jpegRoundTripKeepsGridAndValues(@TempDir Path tmp) throws Exception {
    Path png = TestData.dir(MODEL).resolve("image.png");
    Path jpeg = tmp.resolve("image.jpg");
    assertThat(ImageIO.write(ImageLoader.load(png), "jpeg", jpeg.toFile())).isTrue();

    Qwen2VlImageProcessor processor =
        new Qwen2VlImageProcessor(Qwen2VlImageProcessorConfig.DEFAULTS);
    ProcessedImage fromPng = processor.process(png);
    ProcessedImage fromJpeg = processor.process(jpeg);
    assertThat(fromJpeg.gridThw()).containsExactly(fromPng.gridThw());
    double mean = meanAbsDiff(fromJpeg.pixelValues(), fromPng.pixelValues());
    System.out.printf("JPEG vs PNG pixel_values: mean abs diff %.3e%n", mean);
    assertThat(mean).isGreaterThan(0).isLessThan(0.1);
  }

  @Test
  void patchesFollowHfLayout() {
    // A 56x56 image whose red channel encodes the column and green the row: no resize, one
    // merge block of 2x2 patches. Row r = (mh, mw) of the block; inside a row the values run
    // channel, frame, patch row, patch column.
    BufferedImage img = new BufferedImage(56, 56, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 56; y++) {
      for (int x = 0; x < 56; x++) {
        img.setRGB(x, y, (x << 16) | (y << 8));
      }
    }
    Qwen2VlImageProcessorConfig raw =
        new Qwen2VlImageProcessorConfig(
            14,
            2,
            2,
            56 * 56,
            28 * 28 * 1280,
            List.of(0.0, 0.0, 0.0),
            List.of(1.0, 1.0, 1.0),
            1.0,
            true,
            false,
            false);
    ProcessedImage p = new Qwen2VlImageProcessor(raw).process(img);
    assertThat(p.gridThw()).containsExactly(1, 4, 4);
    assertThat(p.numImageTokens()).isEqualTo(4);
    float[] v = p.pixelValues();
    int rowLen = 1176;
    // patch row 1 = block (0,0), mh 0, mw 1: columns 14..27, rows 0..13
    assertThat(v[rowLen + 0]).isEqualTo(14f); // red, frame 0, (0, 0) -> x = 14
    assertThat(v[rowLen + 196 + 3 * 14 + 5]).isEqualTo(19f); // red, frame 1, (3, 5) -> x = 19
    assertThat(v[rowLen + 2 * 196 + 3 * 14 + 5]).isEqualTo(3f); // green, frame 0 -> y = 3
    // patch row 4 = block (0,1), mh 0, mw 0: columns 28..41
    assertThat(v[4 * rowLen + 13]).isEqualTo(41f);
    // patch row 9 = block (1,0), mh 0, mw 1: rows 28..41, columns 14..27
    assertThat(v[9 * rowLen + 2 * 196 + 2 * 14]).isEqualTo(30f);
    assertThat(v[9 * rowLen + 2 * 14]).isEqualTo(14f);
  }

  private static double meanAbsDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs((double) a[i] - b[i]);
    }
    return sum / a.length;
  }
}
