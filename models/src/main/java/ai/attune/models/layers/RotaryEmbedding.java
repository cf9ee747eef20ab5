package ai.attune.models.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Rotary position embeddings (RoPE) in the "rotate half" layout of HF's Llama and Qwen2: the first
 * and second halves of each head vector form the rotated pairs, the angle of pair {@code i} at
 * position {@code p} is {@code p * invFreq[i]}.
 *
 * <p>Lifecycle: built once per model from its {@link RopeParameters} (the inverse frequencies are
 * computed in Java, in double, and rounded to float32 once); each forward pass asks for the cos/sin
 * tables of its positions ({@link #cosSin}) in its own manager and rotates queries and keys with
 * {@link #apply}. Nothing is cached between passes.
 *
 * <p>Attention scores under RoPE depend only on the difference of the query and key positions, so
 * the same token sequence gets the same scores wherever it starts.
 */
public final class RotaryEmbedding {
  private final RopeParameters params;
  private final float[] invFreq;

  public RotaryEmbedding(RopeParameters params) {
    this.params = params;
    this.invFreq = inverseFrequencies(params);
  }

  public RopeParameters parameters() {
    return params;
  }

  /** The {@code dim / 2} inverse frequencies after the scaling of {@code p}. */
  public static float[] inverseFrequencies(RopeParameters p) {
    int half = p.dim() / 2;
    float[] out = new float[half];
    for (int i = 0; i < half; i++) {
      double base = 1.0 / Math.pow(p.theta(), (2.0 * i) / p.dim());
      out[i] = (float) scale(p, base);
    }
    return out;
  }

  private static double scale(RopeParameters p, double invFreq) {
    switch (p.type()) {
      case DEFAULT:
        return invFreq;
      case LINEAR:
        return invFreq / p.factor();
      case LLAMA3:
        return llama3(p, invFreq);
      default:
        throw new IllegalStateException("unhandled rope type " + p.type());
    }
  }

  /**
   * Llama 3.1: wavelengths shorter than {@code original / highFreqFactor} keep their frequency,
   * those longer than {@code original / lowFreqFactor} are divided by {@code factor}, and those
   * between interpolate linearly in {@code original / wavelength} between the two.
   */
  private static double llama3(RopeParameters p, double invFreq) {
    double wavelength = 2 * Math.PI / invFreq;
    double original = p.originalMaxPositions();
    if (wavelength < original / p.highFreqFactor()) {
      return invFreq;
    }
    if (wavelength > original / p.lowFreqFactor()) {
      return invFreq / p.factor();
    }
    double smooth =
        (original / wavelength - p.lowFreqFactor()) / (p.highFreqFactor() - p.lowFreqFactor());
    return (1 - smooth) * invFreq / p.factor() + smooth * invFreq;
  }

  /**
   * The cos and sin tables, float32 {@code [length, dim]}, for positions {@code start .. start +
   * length - 1} (the same for every row of the batch), in {@code m}.
   */
  public NDArray[] cosSin(NDManager m, long start, long length) {
    NDArray positions =
        m.arange((int) start, (int) (start + length), 1, DataType.INT64)
            .toType(DataType.FLOAT32, false)
            .reshape(length, 1);
    NDArray freqs = positions.mul(m.create(invFreq).reshape(1, invFreq.length)); // [T, dim/2]
    NDArray angles = freqs.concat(freqs, 1); // [T, dim]
    return new NDArray[] {angles.cos(), angles.sin()};
  }

  /**
   * {@code x * cos + rotateHalf(x) * sin} for {@code x} of shape {@code [B, heads, T, dim]}; the
   * tables ({@code [T, dim]}, float32) are cast to the type of {@code x} first.
   */
  public static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
    NDManager m = x.getManager();
    NDArray c = Tensors.as(cos, x.getDataType(), m);
    NDArray s = Tensors.as(sin, x.getDataType(), m);
    return x.mul(c).add(rotateHalf(x).mul(s));
  }

  /** {@code [x1, x2]} (halves of the last axis) to {@code [-x2, x1]}. */
  static NDArray rotateHalf(NDArray x) {
    int last = x.getShape().dimension() - 1;
    NDList halves = x.split(2, last);
    return halves.get(1).neg().concat(halves.get(0), last);
  }
}
