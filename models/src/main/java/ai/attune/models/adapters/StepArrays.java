package ai.attune.models.adapters;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The small arrays one zeroth-order step uses again and again (per-example sign vectors, their
 * per-row layouts, row scales), made once per step instead of once per layer call: a memo of pure
 * functions of the step seed and the perturbation, so caching never changes a bit.
 *
 * <p>An optimizer opens one per step ({@link #open}), hands it to the step's perturbations and to
 * its update, and closes it when the step ends, which frees every cached array. {@link #NONE}
 * caches nothing: each {@link #get} then makes the array afresh and tracks it in the caller's
 * {@link Temporaries}. Weight-sized noise (U) must not be cached: it would hold a copy of every
 * weight for the whole step.
 */
public final class StepArrays implements AutoCloseable {
  /** Caches nothing (replays, tests, a single pass). */
  public static final StepArrays NONE = new StepArrays(null);

  private final NDManager manager;
  private final Map<Object, NDArray> arrays = new HashMap<>();

  private StepArrays(NDManager manager) {
    this.manager = manager;
  }

  /** A cache whose arrays live in a new sub-manager of {@code parent} until {@link #close}. */
  public static StepArrays open(NDManager parent) {
    return new StepArrays(parent.newSubManager());
  }

  /**
   * The array for {@code key}: made by {@code make} in this cache's manager the first time and
   * returned as is afterwards (the caller must not close it); with {@link #NONE}, made in {@code
   * caller} and tracked in {@code tmp}. {@code key} must determine the array (a value record of
   * everything {@code make} reads).
   */
  public NDArray get(
      Object key, NDManager caller, Temporaries tmp, Function<NDManager, NDArray> make) {
    if (manager == null) {
      return tmp.track(make.apply(caller));
    }
    NDArray a = arrays.get(key);
    if (a == null || a.isReleased()) {
      a = make.apply(manager);
      NDScope.unregister(a); // a layer's NDScope must not close what outlives the layer
      arrays.put(key, a);
    }
    return a;
  }

  /**
   * A per-example array {@code [B, d]} of a step ({@code make} draws it from the step seed): the
   * layer's name, the noise purpose, the step seed and B must determine what {@code make} draws
   * (within one step a layer's d and the batch's length are fixed). Ownership as for {@link #get}.
   */
  public NDArray perExample(
      String layer,
      long purpose,
      long stepSeed,
      int examples,
      NDManager m,
      Temporaries tmp,
      Function<NDManager, NDArray> make) {
    return get(new ExampleKey(layer, purpose, stepSeed, examples), m, tmp, make);
  }

  private record ExampleKey(String layer, long purpose, long stepSeed, int examples) {}

  /** Frees every cached array; harmless on {@link #NONE} and when called twice. */
  @Override
  public void close() {
    if (manager != null) {
      arrays.clear();
      manager.close();
    }
  }
}
