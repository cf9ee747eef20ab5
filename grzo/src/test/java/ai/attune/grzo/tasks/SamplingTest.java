package ai.attune.grzo.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Seeded shuffles and the MeZO / LM-BFF selections. */
@Tag("pure")
class SamplingTest {
  static List<TaskExample> examples(int n, int classes) {
    List<TaskExample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new TaskExample(
              "mem:" + i,
              TaskObjective.CLASSIFICATION,
              "p" + i,
              List.of(" a", " b", " c"),
              i % classes,
              List.of()));
    }
    return out;
  }

  @Test
  void sameSeedSameOrderOtherSeedOtherOrder() {
    List<TaskExample> all = examples(50, 2);
    assertThat(Sampling.shuffled(all, 42))
        .isEqualTo(Sampling.shuffled(all, 42))
        .containsExactlyInAnyOrderElementsOf(all)
        .isNotEqualTo(all)
        .isNotEqualTo(Sampling.shuffled(all, 13));
    assertThat(Sampling.sample(all, 10, 7))
        .hasSize(10)
        .isEqualTo(Sampling.shuffled(all, 7).subList(0, 10));
    assertThat(Sampling.sample(all, 500, 7)).hasSize(50);
  }

  @Test
  void trainDevAreDisjointPrefixesOfOneDraw() {
    Sampling.Split s = Sampling.trainDev(examples(40, 2), 25, 10, 42);
    assertThat(s.train()).hasSize(25);
    assertThat(s.dev()).hasSize(10).doesNotContainAnyElementsOf(s.train());
    assertThatThrownBy(() -> Sampling.trainDev(examples(40, 2), 35, 10, 42))
        .hasMessageContaining("only 40");
  }

  @Test
  void kShotTakesKPerClassForTrainAndTheNextKForDev() {
    List<TaskExample> all = examples(60, 3);
    Sampling.Split s = Sampling.kShot(all, 4, 13);
    for (List<TaskExample> part : List.of(s.train(), s.dev())) {
      assertThat(part).hasSize(12);
      for (int c = 0; c < 3; c++) {
        int label = c;
        assertThat(part).filteredOn(e -> e.label() == label).hasSize(4);
      }
    }
    Set<TaskExample> union = new HashSet<>(s.train());
    union.addAll(s.dev());
    assertThat(union).hasSize(24);
    assertThat(Sampling.kShot(all, 4, 13)).isEqualTo(s);
    assertThat(Sampling.kShot(all, 4, 21).train()).isNotEqualTo(s.train());
    assertThatThrownBy(() -> Sampling.kShot(all, 11, 13))
        .hasMessageContaining("has 20 examples; k = 11 needs 22");
  }
}
