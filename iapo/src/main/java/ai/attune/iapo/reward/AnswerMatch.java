package ai.attune.iapo.reward;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Answer comparison for chart and table QA: SQuAD-style normalised exact match and ChartQA's
 * "relaxed accuracy" (numbers within a relative tolerance).
 *
 * <p>{@link #normalize}: lower case; each whitespace-separated token that reads as a number ({@code
 * 1,000}, {@code -3.50}, {@code $12}, {@code 45%}, with sentence punctuation around it) is written
 * canonically ({@code 1000}, {@code -3.5}, {@code 12}, {@code 45}); from any other token every
 * character that is not a letter or digit is removed; the articles a, an, the are dropped; tokens
 * are joined by single spaces.
 */
public final class AnswerMatch {
  private static final Set<String> ARTICLES = Set.of("a", "an", "the");
  private static final Pattern GROUPED = Pattern.compile("\\d{1,3}(,\\d{3})+(\\.\\d+)?");
  private static final Pattern PLAIN = Pattern.compile("(\\d+(\\.\\d*)?|\\.\\d+)");
  private static final String TRAILING = ".,;:!?)]}\"'";
  private static final String LEADING = "([{\"'";
  private static final String MULTI = "||";

  private AnswerMatch() {}

  /** A number read from an answer; {@code percent} when it was written with {@code %}. */
  public record ParsedNumber(BigDecimal value, boolean percent) {}

  /** The normalised form used by {@link #exact}. */
  public static String normalize(String text) {
    List<String> out = new ArrayList<>();
    for (String token : text.toLowerCase(Locale.ROOT).trim().split("\\s+")) {
      ParsedNumber n = parseNumber(token);
      String t = n != null ? canonical(n.value()) : lettersAndDigits(token);
      if (!t.isEmpty() && !ARTICLES.contains(t)) {
        out.add(t);
      }
    }
    return String.join(" ", out);
  }

  /** Whether the normalised forms are equal. */
  public static boolean exact(String answer, String gold) {
    return normalize(answer).equals(normalize(gold));
  }

  /**
   * The number a whole answer states ({@code "1,234.5"}, {@code " 12% "}, {@code "$3."}), or null
   * when it is not exactly one number.
   */
  public static ParsedNumber parseNumber(String text) {
    String s = text.trim();
    while (!s.isEmpty() && TRAILING.indexOf(s.charAt(s.length() - 1)) >= 0) {
      s = s.substring(0, s.length() - 1);
    }
    while (!s.isEmpty() && LEADING.indexOf(s.charAt(0)) >= 0) {
      s = s.substring(1);
    }
    boolean negative = false;
    boolean percent = s.endsWith("%");
    if (percent) {
      s = s.substring(0, s.length() - 1);
    }
    for (int i = 0; i < 2 && !s.isEmpty(); i++) {
      char c = s.charAt(0);
      if (c == '-' || c == '+' || c == '\u2212') {
        negative ^= c != '+';
        s = s.substring(1);
      } else if (c == '$' || c == '\u20ac' || c == '\u00a3') {
        s = s.substring(1);
      }
    }
    if (!GROUPED.matcher(s).matches() && !PLAIN.matcher(s).matches()) {
      return null;
    }
    BigDecimal v = new BigDecimal(s.replace(",", ""));
    return new ParsedNumber(negative ? v.negate() : v, percent);
  }

  /**
   * Numeric match with a relative tolerance: {@code |answer - gold| <= tol · |gold|} (a gold of 0
   * needs exactly 0). A number written with {@code %} may also be read as its fraction, so {@code
   * 3%} matches {@code 0.03} and {@code 69%} matches {@code 69}.
   *
   * @return null when either side is not a single number
   */
  public static Boolean numeric(String answer, String gold, double relativeTolerance) {
    ParsedNumber a = parseNumber(answer);
    ParsedNumber g = parseNumber(gold);
    if (a == null || g == null) {
      return null;
    }
    for (double av : readings(a)) {
      for (double gv : readings(g)) {
        boolean close = gv == 0 ? av == 0 : Math.abs(av - gv) <= relativeTolerance * Math.abs(gv);
        if (close) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * ChartQA's relaxed accuracy: {@link #numeric} when both sides are numbers, else {@link #exact}.
   * A gold answer listing several answers with {@code ||} (ReFocus' table format) matches an answer
   * listing the same ones in any order.
   */
  public static boolean relaxed(String answer, String gold, double relativeTolerance) {
    if (gold.contains(MULTI)) {
      List<String> want = new ArrayList<>(Arrays.asList(gold.split("\\|\\|")));
      List<String> got = new ArrayList<>(Arrays.asList(answer.split("\\|\\|")));
      if (want.size() != got.size()) {
        return false;
      }
      for (String g : got) {
        int hit = -1;
        for (int i = 0; i < want.size() && hit < 0; i++) {
          hit = relaxedOne(g, want.get(i), relativeTolerance) ? i : -1;
        }
        if (hit < 0) {
          return false;
        }
        want.remove(hit);
      }
      return true;
    }
    return relaxedOne(answer, gold, relativeTolerance);
  }

  private static boolean relaxedOne(String answer, String gold, double tol) {
    Boolean n = numeric(answer, gold, tol);
    return n != null ? n : exact(answer, gold);
  }

  private static double[] readings(ParsedNumber n) {
    double v = n.value().doubleValue();
    return n.percent() ? new double[] {v, v / 100} : new double[] {v};
  }

  private static String canonical(BigDecimal v) {
    String s = v.stripTrailingZeros().toPlainString();
    return s.equals("-0") ? "0" : s;
  }

  private static String lettersAndDigits(String token) {
    StringBuilder sb = new StringBuilder(token.length());
    token.codePoints().filter(Character::isLetterOrDigit).forEach(sb::appendCodePoint);
    return sb.toString();
  }
}
