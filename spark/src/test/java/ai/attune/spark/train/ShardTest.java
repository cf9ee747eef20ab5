package ai.attune.spark.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("engine")
class ShardTest {
  @Test
  void sharesAreContiguousInRankOrderAndCoverTheBatch() {
    assertThat(Shard.of(10, 3, 0)).isEqualTo(new Shard(0, 4));
    assertThat(Shard.of(10, 3, 1)).isEqualTo(new Shard(4, 3));
    assertThat(Shard.of(10, 3, 2)).isEqualTo(new Shard(7, 3));
    assertThat(Shard.of(8, 2, 1)).isEqualTo(new Shard(4, 4));
    assertThat(Shard.of(5, 1, 0)).isEqualTo(new Shard(0, 5));
  }

  @Test
  void aBatchSmallerThanTheWorkersIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> Shard.of(2, 3, 0))
        .hasMessageContaining("train.batch_size 2")
        .hasMessageContaining("3");
  }
}
