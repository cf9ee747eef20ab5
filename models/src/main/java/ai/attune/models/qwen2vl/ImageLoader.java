package ai.attune.models.qwen2vl;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import javax.imageio.ImageIO;

/**
 * Reads PNG and JPEG files (and anything else {@code javax.imageio} decodes) into 8-bit RGB images
 * of type {@link BufferedImage#TYPE_INT_RGB}, the form {@link Qwen2VlImageProcessor} and image
 * tools work on.
 *
 * <p>Conversion follows HF's {@code convert_to_rgb}: transparent pixels are composited over white;
 * grayscale and palette images become RGB with their displayed colours. The conversion draws into a
 * fresh {@code TYPE_INT_RGB} image rather than calling {@code getRGB} per pixel, which would
 * gamma-shift grayscale images (Java treats {@code CS_GRAY} as linear).
 */
public final class ImageLoader {
  private ImageLoader() {}

  /**
   * Loads {@code file} as RGB.
   *
   * @throws ImageLoadException if the file is missing, unreadable or not a decodable image
   */
  public static BufferedImage load(Path file) {
    Objects.requireNonNull(file, "file");
    if (!Files.exists(file)) {
      throw new ImageLoadException(file, "image file not found", null);
    }
    if (!Files.isRegularFile(file)) {
      throw new ImageLoadException(file, "not a regular file", null);
    }
    BufferedImage image;
    try {
      image = ImageIO.read(file.toFile());
    } catch (IOException | RuntimeException e) {
      throw new ImageLoadException(file, "cannot decode image: " + e.getMessage(), e);
    }
    if (image == null) {
      throw new ImageLoadException(
          file, "not an image format javax.imageio can read " + "(expected PNG or JPEG)", null);
    }
    return toRgb(image);
  }

  /**
   * {@code image} as {@code TYPE_INT_RGB}: returned as is when it already has that type, otherwise
   * drawn over a white background into a new image.
   */
  public static BufferedImage toRgb(BufferedImage image) {
    Objects.requireNonNull(image, "image");
    if (image.getType() == BufferedImage.TYPE_INT_RGB) {
      return image;
    }
    BufferedImage rgb =
        new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rgb.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    return rgb;
  }
}
