package ai.attune.iapo.tools;

import ai.attune.core.config.Mappers;
import ai.attune.models.qwen2vl.chat.ToolCall;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.UncheckedIOException;

/** Images and calls shared by the tool tests. */
public final class ToolTestImages {
  public static final int W = 64;
  public static final int H = 48;

  private ToolTestImages() {}

  /** A {@code W × H} image whose every pixel differs from its neighbours. */
  public static BufferedImage pattern() {
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        img.setRGB(x, y, rgbAt(x, y));
      }
    }
    return img;
  }

  /** The pattern's pixel at (x, y), as {@code 0xRRGGBB}. */
  public static int rgbAt(int x, int y) {
    return ((x * 4) << 16) | ((y * 5) << 8) | ((x * 3 + y * 7) % 256);
  }

  public static int[] pixels(BufferedImage img) {
    return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
  }

  public static JsonNode json(String text) {
    try {
      return Mappers.json().readTree(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ToolCall call(String name, String arguments) {
    return new ToolCall(name, json(arguments));
  }
}
