package ai.attune.models.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

/**
 * Keys and values of every decoder layer for the tokens seen so far, for incremental decoding.
 *
 * <p>Lifecycle: created empty for one generation, passed to every forward call of that generation,
 * closed at its end. Each layer's keys and values ({@code [B, heads, T, headDim]}) live in the
 * cache's own manager; an update concatenates the new step's entries and frees the previous ones,
 * so the per-step managers of the caller can close after each step.
 */
public final class KvCache implements AutoCloseable {
  private final NDManager manager;
  private final NDArray[] keys;
  private final NDArray[] values;

  public KvCache(NDManager parent, int layers) {
    this.manager = parent.newSubManager();
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
  }

  /** Number of cached positions (0 before the first forward pass). */
  public long length() {
    return keys[0] == null ? 0 : keys[0].getShape().get(2);
  }

  /**
   * Appends this step's keys and values of {@code layer} along the time axis and returns views of
   * the full keys and values that belong to the manager of {@code k} and {@code v} (the caller's
   * per-step manager), so that whatever the caller computes from them stays in that manager and
   * nothing accumulates in the cache's.
   */
  public NDArray[] append(int layer, NDArray k, NDArray v) {
    keys[layer] = concat(keys[layer], k);
    values[layer] = concat(values[layer], v);
    return new NDArray[] {view(keys[layer], k.getManager()), view(values[layer], v.getManager())};
  }

  private static NDArray view(NDArray cached, NDManager into) {
    NDArray view = cached.reshape(cached.getShape()); // a new handle on the same storage
    view.attach(into);
    return view;
  }

  private NDArray concat(NDArray old, NDArray step) {
    NDArray merged = old == null ? step.duplicate() : old.concat(step, 2);
    merged.attach(manager);
    NDScope.unregister(merged); // outlives the layer's scope (see Scopes)
    if (old != null) {
      old.close();
    }
    return merged;
  }

  /** Keeps only the batch rows in {@code rows} (for beams or finished rows); indices int64. */
  public void select(NDArray rows) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != null) {
        keys[i] = replace(keys[i], keys[i].get(rows));
        values[i] = replace(values[i], values[i].get(rows));
      }
    }
  }

  private NDArray replace(NDArray old, NDArray fresh) {
    fresh.attach(manager);
    NDScope.unregister(fresh);
    old.close();
    return fresh;
  }

  @Override
  public void close() {
    manager.close();
  }
}
