package ai.attune.iapo.data;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A question about a {@link BarChart} with its answer, worked out from the chart's values.
 *
 * @param kind what is asked
 * @param question the text shown to the model
 * @param answer the gold answer: a category label, an integer, or Yes/No
 * @param labels the categories the question is about (the ones a focus tool should pick)
 */
public record ChartQuestion(Kind kind, String question, String answer, List<String> labels) {

  /** The question templates. */
  public enum Kind {
    HIGHEST,
    LOWEST,
    VALUE,
    COMPARE;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public ChartQuestion {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(question, "question");
    Objects.requireNonNull(answer, "answer");
    labels = List.copyOf(labels);
  }

  /**
   * The question of {@code kind} about {@code chart}; VALUE and COMPARE pick their categories with
   * {@code rnd}.
   */
  public static ChartQuestion ask(Kind kind, BarChart chart, SplittableRandom rnd) {
    List<String> l = chart.labels();
    List<Integer> v = chart.values();
    return switch (kind) {
      case HIGHEST ->
          new ChartQuestion(
              kind,
              "Which category has the highest value?",
              l.get(chart.highest()),
              List.of(l.get(chart.highest())));
      case LOWEST ->
          new ChartQuestion(
              kind,
              "Which category has the lowest value?",
              l.get(chart.lowest()),
              List.of(l.get(chart.lowest())));
      case VALUE -> {
        int i = rnd.nextInt(l.size());
        yield new ChartQuestion(
            kind,
            "What is the value of " + l.get(i) + "?",
            String.valueOf(v.get(i)),
            List.of(l.get(i)));
      }
      case COMPARE -> {
        int a = rnd.nextInt(l.size());
        int b = (a + 1 + rnd.nextInt(l.size() - 1)) % l.size();
        yield new ChartQuestion(
            kind,
            "Is the value of " + l.get(a) + " higher than that of " + l.get(b) + "?",
            v.get(a) > v.get(b) ? "Yes" : "No",
            List.of(l.get(a), l.get(b)));
      }
    };
  }
}
