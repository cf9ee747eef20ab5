package ai.attune.grzo.variants;

import ai.attune.core.noise.SeededNoise;
import ai.attune.models.adapters.LinearNoise;
import ai.attune.models.adapters.PerturbationNoise;
import ai.attune.models.adapters.Temporaries;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.function.Supplier;

/**
 * Quantized zeroth-order directions (QuZO-style; grzo.md §3): the Gaussian U stochastically rounded
 * to a symmetric per-tensor b-bit grid ({@code scale = max|U| / (2^(b-1) − 1)}, value {@code
 * floor(U / scale + ξ) · scale} with ξ ~ U[0, 1), so the rounding is unbiased), with two
 * independent roundings: one for the perturbed forward passes and one for the update.
 */
public final class QuantizedNoise implements LinearNoise {
  static final long PURPOSE_ROUND_FORWARD = 111;
  static final long PURPOSE_ROUND_UPDATE = 112;
  private final int bits;

  public QuantizedNoise(int bits) {
    if (bits < 2 || bits > 16) {
      throw new IllegalArgumentException("quantized bits must be in [2, 16], got " + bits);
    }
    this.bits = bits;
  }

  @Override
  public NDArray direction(
      String layer, NDArray weight, NDManager m, long seed, Use use, Supplier<NDArray> gaussian) {
    float levels = (1 << (bits - 1)) - 1;
    long purpose = use == Use.FORWARD ? PURPOSE_ROUND_FORWARD : PURPOSE_ROUND_UPDATE;
    try (Temporaries tmp = new Temporaries()) {
      NDArray u = tmp.track(gaussian.get());
      // the scale stays on the device: no host synchronisation
      NDArray scale = tmp.track(tmp.track(tmp.track(u.abs()).max()).div(levels));
      NDArray xi =
          tmp.track(
              SeededNoise.uniform(
                  m,
                  SeededNoise.derive(seed, PerturbationNoise.layerKey(layer), purpose),
                  u.getShape(),
                  DataType.FLOAT32,
                  0f,
                  1f));
      NDArray shifted = tmp.track(tmp.track(u.div(scale)).add(xi));
      NDArray grid = tmp.track(tmp.track(shifted.floor()).clip(-levels, levels));
      return grid.mul(scale);
    }
  }

  public int bits() {
    return bits;
  }

  @Override
  public String toString() {
    return "quantized" + bits;
  }
}
