package ai.attune.models.qwen2vl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.attune.models.TestData;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading into RGB, and clear errors that name the file. */
@Tag("pure")
class ImageLoaderTest {
  @Test
  void fixturePngLoadsAsRgb() {
    BufferedImage img = ImageLoader.load(TestData.dir("qwen2_5_vl-tiny").resolve("image.png"));
    assertThat(img.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat(img.getWidth()).isEqualTo(100);
    assertThat(img.getHeight()).isEqualTo(75);
  }

  @Test
  void missingFileIsNamed(@TempDir Path tmp) {
    Path missing = tmp.resolve("nope.png");
    assertThatThrownBy(() -> ImageLoader.load(missing))
        .isInstanceOf(ImageLoadException.class)
        .hasMessageStartingWith(missing.toString())
        .hasMessageContaining("not found")
        .satisfies(e -> assertThat(((ImageLoadException) e).file()).isEqualTo(missing));
  }

  @Test
  void textFileIsNotAnImage(@TempDir Path tmp) throws Exception {
    Path text = Files.writeString(tmp.resolve("notes.png"), "this is not a picture");
    assertThatThrownBy(() -> ImageLoader.load(text))
        .isInstanceOf(ImageLoadException.class)
        .hasMessageStartingWith(text.toString())
        .hasMessageContaining("PNG or JPEG");
    assertThatThrownBy(
            () -> new Qwen2VlImageProcessor(Qwen2VlImageProcessorConfig.DEFAULTS).process(text))
        .isInstanceOf(ImageLoadException.class)
        .hasMessageContaining("notes.png");
  }

  @Test
  void truncatedPngIsAnError(@TempDir Path tmp) throws Exception {
    byte[] png = Files.readAllBytes(TestData.dir("qwen2_5_vl-tiny").resolve("image.png"));
    Path cut = Files.write(tmp.resolve("cut.png"), Arrays.copyOf(png, png.length / 2));
    assertThatThrownBy(() -> ImageLoader.load(cut))
        .isInstanceOf(ImageLoadException.class)
        .hasMessageStartingWith(cut.toString());
  }

  @Test
  void directoryIsAnError(@TempDir Path tmp) {
    assertThatThrownBy(() -> ImageLoader.load(tmp))
        .isInstanceOf(ImageLoadException.class)
        .hasMessageContaining("not a regular file");
  }

  @Test
  void alphaIsCompositedOnWhite(@TempDir Path tmp) throws Exception {
    BufferedImage argb = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(0, 0, 0x00000000); // fully transparent black
    argb.setRGB(1, 0, 0xff102030); // opaque
    argb.setRGB(2, 0, 0x80000000); // half-transparent black
    Path file = tmp.resolve("alpha.png");
    ImageIO.write(argb, "png", file.toFile());
    BufferedImage rgb = ImageLoader.load(file);
    assertThat(rgb.getRGB(0, 0) & 0xffffff).isEqualTo(0xffffff);
    assertThat(rgb.getRGB(1, 0) & 0xffffff).isEqualTo(0x102030);
    int half = rgb.getRGB(2, 0) & 0xff;
    assertThat(half).isBetween(126, 128); // 255 * (1 - 128/255)
  }

  @Test
  void grayscaleKeepsItsLevels(@TempDir Path tmp) throws Exception {
    BufferedImage gray = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
    gray.getRaster().setSample(0, 0, 0, 128);
    gray.getRaster().setSample(1, 0, 0, 7);
    Path file = tmp.resolve("gray.png");
    ImageIO.write(gray, "png", file.toFile());
    BufferedImage rgb = ImageLoader.load(file);
    // getRGB on the gray image itself would give 0xbcbcbc for 128 (linear-gray conversion).
    assertThat(rgb.getRGB(0, 0) & 0xffffff).isEqualTo(0x808080);
    assertThat(rgb.getRGB(1, 0) & 0xffffff).isEqualTo(0x070707);
  }

  @Test
  void paletteBecomesRgb(@TempDir Path tmp) throws Exception {
    byte[] r = {(byte) 200, 10};
    byte[] g = {(byte) 100, 20};
    byte[] b = {(byte) 50, 30};
    BufferedImage indexed =
        new BufferedImage(
            2, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, g, b));
    indexed.getRaster().setSample(0, 0, 0, 0);
    indexed.getRaster().setSample(1, 0, 0, 1);
    Path file = tmp.resolve("palette.png");
    ImageIO.write(indexed, "png", file.toFile());
    BufferedImage rgb = ImageLoader.load(file);
    assertThat(rgb.getRGB(0, 0) & 0xffffff).isEqualTo(0xc86432);
    assertThat(rgb.getRGB(1, 0) & 0xffffff).isEqualTo(0x0a141e);
  }
}
