package ai.attune.grzo.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** SQuAD token F1, worked by hand. */
@Tag("pure")
class TokenF1Test {
  @Test
  void exactMatchIsOne() {
    assertThat(TokenF1.f1("Denver Broncos", "Denver Broncos")).isEqualTo(1.0);
  }

  @Test
  void partialOverlap() {
    // pred {denver, broncos, won}, gold {denver, broncos}: p = 2/3, r = 1, f1 = 0.8
    assertThat(TokenF1.f1("Denver Broncos won", "Denver Broncos")).isCloseTo(0.8, within(1e-12));
    // pred {in, 1990}, gold {1990}: p = 1/2, r = 1, f1 = 2/3
    assertThat(TokenF1.f1("in 1990", "1990")).isCloseTo(2.0 / 3, within(1e-12));
    // repeated tokens count as a multiset: pred {a1, a1}, gold {a1}: p = 1/2, r = 1
    assertThat(TokenF1.f1("x x", "x")).isCloseTo(2.0 / 3, within(1e-12));
  }

  @Test
  void noOverlapIsZero() {
    assertThat(TokenF1.f1("Carolina Panthers", "Denver Broncos")).isZero();
    assertThat(TokenF1.f1("", "Denver")).isZero();
  }

  @Test
  void articlesPunctuationAndCaseAreIgnored() {
    assertThat(TokenF1.normalize("The  Denver, Broncos!")).isEqualTo("denver broncos");
    assertThat(TokenF1.normalize("an apple a day")).isEqualTo("apple day");
    assertThat(TokenF1.normalize("theater")).isEqualTo("theater");
    assertThat(TokenF1.f1("the Broncos.", "Broncos")).isEqualTo(1.0);
    // only articles in both: both normalise to nothing, which SQuAD scores 0
    assertThat(TokenF1.f1("the", "a")).isZero();
  }

  @Test
  void maxOverGoldAnswers() {
    assertThat(TokenF1.maxF1("Paris France", List.of("London", "Paris", "France Paris")))
        .isEqualTo(1.0);
    assertThat(TokenF1.maxF1("Paris", List.of("London", "city of Paris")))
        .isCloseTo(0.5, within(1e-12));
  }
}
