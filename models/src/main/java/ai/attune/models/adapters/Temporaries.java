package ai.attune.models.adapters;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * Arrays a computation frees as soon as it is done with them, instead of leaving them in the
 * caller's manager until the step ends: weight-sized noise in particular must not pile up over the
 * layers of one forward pass.
 *
 * <p>Use in a try-with-resources block; {@link #track} returns its argument. Never track the array
 * the block returns, nor an array owned by someone else.
 */
public final class Temporaries implements AutoCloseable {
  private final List<NDArray> arrays = new ArrayList<>();

  /** Registers {@code a} to be closed with this object; returns {@code a}. */
  public NDArray track(NDArray a) {
    arrays.add(a);
    return a;
  }

  @Override
  public void close() {
    for (NDArray a : arrays) {
      a.close();
    }
    arrays.clear();
  }
}
