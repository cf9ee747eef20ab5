package ai.attune.iapo.data;

import java.awt.Graphics2D;
import java.util.HashMap;
import java.util.Map;

/**
 * A 5×7 bitmap font (upper-case letters, digits, {@code . - %} and space) drawn pixel by pixel with
 * Java2D, so chart images are the same bytes on every machine: no system fonts, no antialiasing, no
 * font hinting. Each glyph is 5 pixels wide and 7 high; characters advance by {@value #ADVANCE}
 * pixels.
 */
final class PixelFont {
  static final int GLYPH_WIDTH = 5;
  static final int HEIGHT = 7;
  static final int ADVANCE = 6;

  private static final Map<Character, String[]> GLYPHS = new HashMap<>();

  static {
    glyph('A', "01110|10001|10001|11111|10001|10001|10001");
    glyph('B', "11110|10001|10001|11110|10001|10001|11110");
    glyph('C', "01110|10001|10000|10000|10000|10001|01110");
    glyph('D', "11110|10001|10001|10001|10001|10001|11110");
    glyph('E', "11111|10000|10000|11110|10000|10000|11111");
    glyph('F', "11111|10000|10000|11110|10000|10000|10000");
    glyph('G', "01110|10001|10000|10111|10001|10001|01111");
    glyph('H', "10001|10001|10001|11111|10001|10001|10001");
    glyph('I', "01110|00100|00100|00100|00100|00100|01110");
    glyph('J', "00111|00010|00010|00010|00010|10010|01100");
    glyph('K', "10001|10010|10100|11000|10100|10010|10001");
    glyph('L', "10000|10000|10000|10000|10000|10000|11111");
    glyph('M', "10001|11011|10101|10101|10001|10001|10001");
    glyph('N', "10001|10001|11001|10101|10011|10001|10001");
    glyph('O', "01110|10001|10001|10001|10001|10001|01110");
    glyph('P', "11110|10001|10001|11110|10000|10000|10000");
    glyph('Q', "01110|10001|10001|10001|10101|10010|01101");
    glyph('R', "11110|10001|10001|11110|10100|10010|10001");
    glyph('S', "01111|10000|10000|01110|00001|00001|11110");
    glyph('T', "11111|00100|00100|00100|00100|00100|00100");
    glyph('U', "10001|10001|10001|10001|10001|10001|01110");
    glyph('V', "10001|10001|10001|10001|10001|01010|00100");
    glyph('W', "10001|10001|10001|10101|10101|10101|01010");
    glyph('X', "10001|10001|01010|00100|01010|10001|10001");
    glyph('Y', "10001|10001|10001|01010|00100|00100|00100");
    glyph('Z', "11111|00001|00010|00100|01000|10000|11111");
    glyph('0', "01110|10001|10011|10101|11001|10001|01110");
    glyph('1', "00100|01100|00100|00100|00100|00100|01110");
    glyph('2', "01110|10001|00001|00010|00100|01000|11111");
    glyph('3', "11111|00010|00100|00010|00001|10001|01110");
    glyph('4', "00010|00110|01010|10010|11111|00010|00010");
    glyph('5', "11111|10000|11110|00001|00001|10001|01110");
    glyph('6', "00110|01000|10000|11110|10001|10001|01110");
    glyph('7', "11111|00001|00010|00100|01000|01000|01000");
    glyph('8', "01110|10001|10001|01110|10001|10001|01110");
    glyph('9', "01110|10001|10001|01111|00001|00010|01100");
    glyph('.', "00000|00000|00000|00000|00000|01100|01100");
    glyph('-', "00000|00000|00000|11111|00000|00000|00000");
    glyph('%', "11000|11001|00010|00100|01000|10011|00011");
    glyph(' ', "00000|00000|00000|00000|00000|00000|00000");
  }

  private PixelFont() {}

  private static void glyph(char c, String rows) {
    GLYPHS.put(c, rows.split("\\|"));
  }

  /** Whether every character of {@code text} has a glyph. */
  static boolean canDraw(String text) {
    return text.chars().allMatch(c -> GLYPHS.containsKey((char) c));
  }

  /** Width in pixels of the drawn text (no trailing gap). */
  static int width(String text) {
    return text.isEmpty() ? 0 : text.length() * ADVANCE - (ADVANCE - GLYPH_WIDTH);
  }

  /** Draws {@code text} with its top-left corner at (x, y) in the graphics' current color. */
  static void draw(Graphics2D g, String text, int x, int y) {
    for (int i = 0; i < text.length(); i++) {
      String[] rows = GLYPHS.get(text.charAt(i));
      if (rows == null) {
        throw new IllegalArgumentException(
            "no glyph for '" + text.charAt(i) + "' in \"" + text + "\"");
      }
      for (int r = 0; r < HEIGHT; r++) {
        for (int c = 0; c < GLYPH_WIDTH; c++) {
          if (rows[r].charAt(c) == '1') {
            g.fillRect(x + i * ADVANCE + c, y + r, 1, 1);
          }
        }
      }
    }
  }
}
