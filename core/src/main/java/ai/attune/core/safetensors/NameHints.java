package ai.attune.core.safetensors;

import java.util.Collection;
import java.util.Comparator;
import java.util.stream.Collectors;

/** The "did you mean" part of a missing-tensor message: the few nearest names by edit distance. */
final class NameHints {
  private static final int MAX_HINTS = 3;

  private NameHints() {}

  /** A parenthesised suffix for an error message, listing names close to {@code wanted}. */
  static String similar(String wanted, Collection<String> names) {
    if (names.isEmpty()) {
      return " (it holds no tensors)";
    }
    String near =
        names.stream()
            .sorted(
                Comparator.comparingInt((String n) -> distance(wanted, n)).thenComparing(n -> n))
            .limit(MAX_HINTS)
            .collect(Collectors.joining(", "));
    return " (" + names.size() + " tensors; nearest names: " + near + ")";
  }

  /** Levenshtein distance with two rows. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
