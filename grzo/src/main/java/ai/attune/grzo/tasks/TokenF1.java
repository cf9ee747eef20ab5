package ai.attune.grzo.tasks;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * SQuAD's token F1, as MeZO scores SQuAD and DROP: both texts are normalised (lower case, ASCII
 * punctuation removed, the articles a/an/the removed, whitespace collapsed) and split on
 * whitespace; F1 of the multiset overlap; the maximum over the gold answers.
 */
public final class TokenF1 {
  private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
  private static final Pattern ARTICLES =
      Pattern.compile("\\b(a|an|the)\\b", Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern WHITESPACE =
      Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

  private TokenF1() {}

  /** SQuAD's {@code normalize_answer}. */
  public static String normalize(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    StringBuilder kept = new StringBuilder(lower.length());
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      if (PUNCTUATION.indexOf(c) < 0) {
        kept.append(c);
      }
    }
    String noArticles = ARTICLES.matcher(kept).replaceAll(" ");
    return String.join(" ", tokens(noArticles));
  }

  /** Token F1 of a prediction against one gold answer, in [0, 1]. */
  public static double f1(String prediction, String gold) {
    List<String> pred = tokens(normalize(prediction));
    List<String> truth = tokens(normalize(gold));
    Map<String, Integer> counts = new HashMap<>();
    for (String t : truth) {
      counts.merge(t, 1, Integer::sum);
    }
    int same = 0;
    for (String t : pred) {
      Integer left = counts.get(t);
      if (left != null && left > 0) {
        counts.put(t, left - 1);
        same++;
      }
    }
    if (same == 0) {
      return 0;
    }
    double precision = (double) same / pred.size();
    double recall = (double) same / truth.size();
    return 2 * precision * recall / (precision + recall);
  }

  /** The best F1 of a prediction over the gold answers. */
  public static double maxF1(String prediction, List<String> golds) {
    if (golds.isEmpty()) {
      throw new IllegalArgumentException("no gold answers to score against");
    }
    double best = 0;
    for (String gold : golds) {
      best = Math.max(best, f1(prediction, gold));
    }
    return best;
  }

  private static List<String> tokens(String text) {
    String stripped = text.strip();
    return stripped.isEmpty() ? List.of() : List.of(WHITESPACE.split(stripped));
  }
}
