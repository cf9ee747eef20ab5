package ai.attune.models.init;

import ai.attune.core.noise.SeededNoise;
import ai.attune.core.params.ParamKind;
import ai.attune.core.params.Parameter;
import ai.attune.core.params.ParameterStore;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Random weights for a model built without a checkpoint (benchmarks, tests): weights and embeddings
 * N(0, std²) as HF's {@code _init_weights} does with {@code initializer_range}, biases and norm
 * shifts 0, norm gains 1. Each parameter draws from {@code derive(seed, index)}.
 */
public final class RandomInit {
  private RandomInit() {}

  /** Fills every parameter of {@code store} that has no value yet, in {@code type}. */
  public static void fill(ParameterStore store, double std, long seed, DataType type) {
    NDManager m = store.manager();
    int index = 0;
    for (Parameter p : store.parameters().values()) {
      index++;
      if (p.isLoaded()) {
        continue;
      }
      NDArray value;
      if (p.kind() == ParamKind.LINEAR_WEIGHT || p.kind() == ParamKind.EMBEDDING) {
        try (NDArray unit =
            SeededNoise.gaussian(m, SeededNoise.derive(seed, index), p.shape(), DataType.FLOAT32)) {
          NDArray scaled = unit.mul((float) std);
          value = scaled.getDataType() == type ? scaled : convert(scaled, type);
        }
      } else if (p.kind() == ParamKind.NORM_WEIGHT) {
        value = m.ones(p.shape(), type);
      } else {
        value = m.zeros(p.shape(), type);
      }
      p.set(value);
    }
  }

  private static NDArray convert(NDArray a, DataType type) {
    try (a) {
      return a.toType(type, true);
    }
  }
}
