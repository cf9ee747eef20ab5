package ai.attune.grzo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The batch order is a pure function of (seed, step): epochs are permutations. */
@Tag("pure")
class BatchOrderTest {

  @Test
  void eachEpochVisitsDistinctExamplesAndReshuffles() {
    BatchOrder order = new BatchOrder(10, 3, 7); // 3 steps per epoch, one example waits
    Set<Integer> epoch1 = new HashSet<>();
    Set<Integer> epoch2 = new HashSet<>();
    for (long t = 1; t <= 3; t++) {
      for (int i : order.batch(t)) {
        assertThat(epoch1.add(i)).as("step %d repeats example %d", t, i).isTrue();
      }
    }
    for (long t = 4; t <= 6; t++) {
      for (int i : order.batch(t)) {
        epoch2.add(i);
      }
    }
    assertThat(epoch1).hasSize(9).allMatch(i -> i >= 0 && i < 10);
    assertThat(epoch2).hasSize(9);
    assertThat(Arrays.equals(order.batch(1), order.batch(4))).isFalse();
  }

  @Test
  void anyStepIsDrawnTheSameWithoutItsPredecessors() {
    BatchOrder a = new BatchOrder(300, 16, 42);
    int[][] sequential = new int[40][];
    for (int t = 1; t <= 40; t++) {
      sequential[t - 1] = a.batch(t);
    }
    BatchOrder resumed = new BatchOrder(300, 16, 42);
    for (int t = 40; t >= 23; t--) { // a resumed run starts mid-way, in any epoch
      assertThat(resumed.batch(t)).containsExactly(sequential[t - 1]);
    }
    assertThat(new BatchOrder(300, 16, 43).batch(1)).isNotEqualTo(sequential[0]);
  }

  @Test
  void tooFewExamplesForOneBatchIsRefused() {
    assertThatThrownBy(() -> new BatchOrder(8, 16, 1))
        .hasMessageContaining("train.batch_size 16 needs at least that many training examples");
  }
}
