package ai.attune.core.device;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The counter sees arrays created in sub-managers made after it started watching. */
@Tag("engine")
class ArrayCounterTest {
  @Test
  void countsArraysAndBytesOnlyWhileOn() {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU)) {
      ArrayCounter counter = ArrayCounter.watch(root);
      try (NDManager step = root.newSubManager();
          NDManager inner = step.newSubManager()) {
        NDArray a = inner.ones(new Shape(3, 4));
        a.add(1f);
        counter.start();
        NDArray b = a.mul(a); // one float32 [3, 4] result
        b.muli(a); // in place: no result counted
        inner.create(new long[] {1, 2}); // host data: 2 int64
        b.muli(3f); // DJL makes the scalar 3 an array first: one float32 scalar
        ArrayCounter.Counts counts = counter.stop();
        a.sub(1f); // after stop: not counted
        assertThat(counts.arrays()).isEqualTo(3);
        assertThat(counts.bytes()).isEqualTo(12 * 4 + 2 * 8 + 4);
        assertThat(counter.stop()).isEqualTo(counts);
      }
    }
  }

  @Test
  void countsInManagersMadeWhileOnAndLeavesNewOnesAloneWhileOff() {
    try (NDManager root = Engines.newManager(DevicePolicy.CPU)) {
      ArrayCounter counter = ArrayCounter.watch(root);
      try (NDManager offStep = root.newSubManager()) {
        offStep.ones(new Shape(2)).add(1f); // counting off: nothing counted, no map swapped
      }
      counter.start();
      try (NDManager onStep = root.newSubManager();
          NDManager inner = onStep.newSubManager()) {
        inner.zeros(new Shape(5)); // one float32 [5]
      }
      assertThat(counter.stop()).isEqualTo(new ArrayCounter.Counts(1, 5 * 4));
    }
  }
}
