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
 * {@link Temporaries}. Weight-sized noise (U) is cached only when the cache is opened with {@code
 * cacheDirections} ({@link #direction}): it then holds a float32 copy of every perturbed linear
 * weight for the whole step, and a step draws each U once instead of once per pass and once more
 * for the update.
 */
public final class StepArrays implements AutoCloseable {
  /** Caches nothing (replays, tests, a single pass). */
  public static final StepArrays NONE = new StepArrays(null, false);

  private final NDManager manager;
  private final boolean cacheDirections;
  private final Map<Object, NDArray> arrays = new HashMap<>();

  private StepArrays(NDManager manager, boolean cacheDirections) {
    this.manager = manager;
    this.cacheDirections = cacheDirections;
  }

  /** A cache whose arrays live in a new sub-manager of {@code parent} until {@link #close}. */
  public static StepArrays open(NDManager parent) {
    return open(parent, false);
  }

  /**
   * As {@link #open(NDManager)}; with {@code cacheDirections} the linear layers' directions U are
   * kept too ({@link #direction}).
   */
  public static StepArrays open(NDManager parent, boolean cacheDirections) {
    return new StepArrays(parent.newSubManager(), cacheDirections);
  }

  /** Whether {@link #direction} keeps the directions U for the step. */
  public boolean cachesDirections() {
    return manager != null && cacheDirections;
  }

  /**
   * The direction U of linear layer {@code layer} at step seed {@code stepSeed}, which {@code make}
   * draws: kept for the step when {@link #cachesDirections} (the caller must not close it), else
   * made in {@code caller} and tracked in {@code tmp}. Only for noise whose forward and update
   * directions are the same draw.
   */
  public NDArray direction(
      String layer,
      long stepSeed,
      NDManager caller,
      Temporaries tmp,
      Function<NDManager, NDArray> make) {
    if (!cachesDirections()) {
      return tmp.track(make.apply(caller));
    }
    return get(new DirectionKey(layer, stepSeed), caller, tmp, make);
  }

  // The keys spell out equals and hashCode: a record's generated ones run through method handles,
  // about ten times slower than these in the interpreter, where a short run's steps execute.
  private record DirectionKey(String layer, long stepSeed) {
    @Override
    public boolean equals(Object o) {
      return o instanceof DirectionKey k && k.stepSeed == stepSeed && k.layer.equals(layer);
    }

    @Override
    public int hashCode() {
      return 31 * layer.hashCode() + Long.hashCode(stepSeed);
    }
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

  private record ExampleKey(String layer, long purpose, long stepSeed, int examples) {
    @Override
    public boolean equals(Object o) {
      return o instanceof ExampleKey k
          && k.purpose == purpose
          && k.stepSeed == stepSeed
          && k.examples == examples
          && k.layer.equals(layer);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * (31 * layer.hashCode() + Long.hashCode(purpose)) + Long.hashCode(stepSeed))
          + examples;
    }
  }

  /** Frees every cached array; harmless on {@link #NONE} and when called twice. */
  @Override
  public void close() {
    if (manager != null) {
      arrays.clear();
      manager.close();
    }
  }
}
