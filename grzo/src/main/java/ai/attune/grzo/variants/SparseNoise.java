package ai.attune.grzo.variants;

import ai.attune.core.params.ParameterStore;
import ai.attune.models.adapters.LinearNoise;
import ai.attune.models.adapters.Temporaries;
import ai.attune.models.layers.Linear;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Sparse zeroth-order directions (Sparse MeZO; grzo.md §3): {@code U ← U ⊙ M}, the mask keeping the
 * entries of each linear weight whose magnitude lies in its smallest {@code keep} fraction (25 % by
 * default). The magnitude thresholds are computed once from the weights at construction; the mask
 * is recomputed from the current weights at every use.
 *
 * <p>With {@code freezeMaskPerStep} (needed by MeZO, which moves the weights between the passes of
 * a step) the mask of each layer is computed once per step, from the weights at their first use in
 * the step, and kept until the next step: one byte per linear weight entry.
 */
public final class SparseNoise implements LinearNoise, AutoCloseable {
  private final double keep;
  private final Map<String, Float> thresholds = new HashMap<>();
  private final boolean freezeMaskPerStep;
  private final NDManager maskManager;
  private final Map<String, NDArray> stepMasks = new HashMap<>();

  /** Thresholds from the current weights of every registered linear layer of {@code store}. */
  public SparseNoise(ParameterStore store, double keep, boolean freezeMaskPerStep) {
    if (!(keep > 0 && keep <= 1)) {
      throw new IllegalArgumentException("sparse keep fraction must be in (0, 1], got " + keep);
    }
    this.keep = keep;
    this.freezeMaskPerStep = freezeMaskPerStep;
    this.maskManager = store.manager().newSubManager();
    try (NDManager scratch = store.manager().newSubManager()) {
      for (Linear linear : store.modules(Linear.class)) {
        thresholds.put(linear.name(), threshold(linear.weight().value(), keep, scratch));
      }
    }
  }

  /**
   * A sparse variant with thresholds computed earlier (by the constructor above, at the start of a
   * run): a resumed run must keep its original thresholds to continue exactly.
   */
  public SparseNoise(
      ParameterStore store, Map<String, Float> thresholds, boolean freezeMaskPerStep) {
    this.keep = Double.NaN;
    this.freezeMaskPerStep = freezeMaskPerStep;
    this.maskManager = store.manager().newSubManager();
    for (Linear linear : store.modules(Linear.class)) {
      Float t = thresholds.get(linear.name());
      if (t == null) {
        throw new IllegalArgumentException("no sparse threshold for layer " + linear.name());
      }
      this.thresholds.put(linear.name(), t);
    }
  }

  /** The magnitude threshold of each linear layer, by layer name. */
  public Map<String, Float> thresholds() {
    return java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(thresholds));
  }

  /** The magnitude below which a {@code keep} fraction of the entries of {@code w} lie. */
  static float threshold(NDArray w, double keep, NDManager scratch) {
    float[] magnitudes = magnitude(w, scratch).toFloatArray();
    java.util.Arrays.sort(magnitudes);
    int index = (int) Math.min(magnitudes.length - 1, Math.floor(keep * magnitudes.length));
    return magnitudes[Math.max(0, index - 1)];
  }

  @Override
  public NDArray direction(
      String layer, NDArray weight, NDManager m, long seed, Use use, Supplier<NDArray> gaussian) {
    Float threshold = thresholds.get(layer);
    if (threshold == null) {
      throw new IllegalArgumentException("no sparse threshold for layer " + layer);
    }
    NDArray mask =
        freezeMaskPerStep
            ? stepMasks.computeIfAbsent(layer, l -> owned(mask(weight, threshold, m)))
            : mask(weight, threshold, m);
    NDArray g = gaussian.get();
    NDArray masked = g.mul(mask);
    g.close();
    if (!freezeMaskPerStep) {
      mask.close();
    }
    return masked;
  }

  /** 1 where |w| <= threshold (float32, in {@code m}). */
  private static NDArray mask(NDArray weight, float threshold, NDManager m) {
    try (Temporaries tmp = new Temporaries()) {
      NDArray below = tmp.track(tmp.track(magnitude(weight, m)).lte(threshold));
      return below.toType(DataType.FLOAT32, false);
    }
  }

  /** |w| in float32, in {@code m} (never in the parameter's manager). */
  private static NDArray magnitude(NDArray weight, NDManager m) {
    try (NDArray copy = weight.toType(DataType.FLOAT32, true)) {
      copy.attach(m);
      return copy.abs();
    }
  }

  private NDArray owned(NDArray a) {
    a.attach(maskManager);
    return a;
  }

  @Override
  public void beginStep(long step) {
    stepMasks.values().forEach(NDArray::close);
    stepMasks.clear();
  }

  @Override
  public void close() {
    maskManager.close();
  }

  @Override
  public String toString() {
    return "sparse";
  }
}
