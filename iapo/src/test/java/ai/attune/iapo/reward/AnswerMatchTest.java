package ai.attune.iapo.reward;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("pure")
class AnswerMatchTest {

  @Test
  void normalizeLowercasesStripsPunctuationArticlesAndSpaces() {
    assertThat(AnswerMatch.normalize("The Eiffel   Tower.")).isEqualTo("eiffel tower");
    assertThat(AnswerMatch.normalize("  An apple!\n")).isEqualTo("apple");
    assertThat(AnswerMatch.normalize("U.S.A.")).isEqualTo("usa");
    assertThat(AnswerMatch.normalize("Yes.")).isEqualTo("yes");
    assertThat(AnswerMatch.normalize("a the an")).isEmpty();
    assertThat(AnswerMatch.normalize("Théâtre (Paris)")).isEqualTo("théâtre paris");
  }

  @Test
  void normalizeWritesNumbersCanonically() {
    assertThat(AnswerMatch.normalize("1,000")).isEqualTo("1000");
    assertThat(AnswerMatch.normalize("1,000.50")).isEqualTo("1000.5");
    assertThat(AnswerMatch.normalize("$1,000")).isEqualTo("1000");
    assertThat(AnswerMatch.normalize("45%")).isEqualTo("45");
    assertThat(AnswerMatch.normalize("3.50")).isEqualTo("3.5");
    assertThat(AnswerMatch.normalize("-0.0")).isEqualTo("0");
    assertThat(AnswerMatch.normalize("(12).")).isEqualTo("12");
    assertThat(AnswerMatch.normalize("It was 3.5, not 4.")).isEqualTo("it was 3.5 not 4");
    assertThat(AnswerMatch.normalize("1,00")).isEqualTo("100");
  }

  @Test
  void exactMatchComparesNormalisedForms() {
    assertThat(AnswerMatch.exact("1,000", "1000")).isTrue();
    assertThat(AnswerMatch.exact("Paris", "paris.")).isTrue();
    assertThat(AnswerMatch.exact("the OSLO", "Oslo")).isTrue();
    assertThat(AnswerMatch.exact("1000.0", "1,000")).isTrue();
    assertThat(AnswerMatch.exact("The answer: Paris", "Paris")).isFalse();
    assertThat(AnswerMatch.exact("10", "100")).isFalse();
  }

  @Test
  void parsesOneNumberOrNothing() {
    assertThat(AnswerMatch.parseNumber(" -$1,234.5 ").value())
        .isEqualByComparingTo(new BigDecimal("-1234.5"));
    assertThat(AnswerMatch.parseNumber("12%").percent()).isTrue();
    assertThat(AnswerMatch.parseNumber("12 apples")).isNull();
    assertThat(AnswerMatch.parseNumber("1e5")).isNull();
    assertThat(AnswerMatch.parseNumber("-")).isNull();
  }

  @Test
  void numericMatchUsesARelativeTolerance() {
    assertThat(AnswerMatch.numeric("104", "100", 0.05)).isTrue();
    assertThat(AnswerMatch.numeric("105", "100", 0.05)).isTrue();
    assertThat(AnswerMatch.numeric("106", "100", 0.05)).isFalse();
    assertThat(AnswerMatch.numeric("94", "100", 0.05)).isFalse();
    assertThat(AnswerMatch.numeric("1,050", "1000", 0.05)).isTrue();
    assertThat(AnswerMatch.numeric("-5", "5", 0.05)).isFalse();
    assertThat(AnswerMatch.numeric("0", "0.0", 0.05)).isTrue();
    assertThat(AnswerMatch.numeric("0.001", "0", 0.05)).isFalse();
    assertThat(AnswerMatch.numeric("104", "100", 0.0)).isFalse();
    assertThat(AnswerMatch.numeric("12 apples", "12", 0.05)).isNull();
    assertThat(AnswerMatch.numeric("Oslo", "12", 0.05)).isNull();
  }

  @Test
  void percentagesMayBeReadAsFractions() {
    assertThat(AnswerMatch.numeric("3%", "0.03", 0.05)).isTrue();
    assertThat(AnswerMatch.numeric("69%", "69", 0.05)).isTrue();
    assertThat(AnswerMatch.numeric("0.69", "69%", 0.05)).isTrue();
    assertThat(AnswerMatch.numeric("0.5", "69%", 0.05)).isFalse();
  }

  @Test
  void relaxedFallsBackToExactMatchAndHandlesAnswerLists() {
    assertThat(AnswerMatch.relaxed("101", "100", 0.05)).isTrue();
    assertThat(AnswerMatch.relaxed("Paris.", "paris", 0.05)).isTrue();
    assertThat(AnswerMatch.relaxed("Lyon", "paris", 0.05)).isFalse();
    assertThat(AnswerMatch.relaxed("Bob||alice", "Alice||Bob", 0.05)).isTrue();
    assertThat(AnswerMatch.relaxed("Alice", "Alice||Bob", 0.05)).isFalse();
    assertThat(AnswerMatch.relaxed("Alice||Alice", "Alice||Bob", 0.05)).isFalse();
    assertThat(AnswerMatch.relaxed("99||Bob", "Bob||100", 0.05)).isTrue();
  }
}
