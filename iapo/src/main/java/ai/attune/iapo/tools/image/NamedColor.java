package ai.attune.iapo.tools.image;

import java.awt.Color;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The colors image tools accept, by the lower-case name the model writes. */
public enum NamedColor {
  RED(0xFF0000),
  GREEN(0x00A000),
  BLUE(0x0000FF),
  YELLOW(0xFFFF00),
  ORANGE(0xFF8000),
  PURPLE(0x800080),
  BLACK(0x000000),
  WHITE(0xFFFFFF),
  GRAY(0x808080);

  private final int rgb;

  NamedColor(int rgb) {
    this.rgb = rgb;
  }

  /** The color as {@code 0xRRGGBB}. */
  public int rgb() {
    return rgb;
  }

  public Color color() {
    return new Color(rgb);
  }

  /** The name the model writes ({@code "red"}). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The constant for a wire name (already checked against the schema's enum). */
  public static NamedColor of(String wireName) {
    return valueOf(wireName.toUpperCase(Locale.ROOT));
  }

  /** All wire names, for a schema's {@code enum}. */
  public static List<String> wireNames() {
    return Arrays.stream(values()).map(NamedColor::wireName).toList();
  }
}
