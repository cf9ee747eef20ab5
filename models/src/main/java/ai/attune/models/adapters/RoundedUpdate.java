package ai.attune.models.adapters;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * In-place changes of a parameter computed in float32 and rounded once to the parameter's type, as
 * the reference does for float16 weights: {@code θ ← round(f32(θ) · keep − Δ)}. A float32 parameter
 * is changed in place with no copy; a float16 one costs one float32 copy of it for the duration of
 * the call.
 */
public final class RoundedUpdate {
  private RoundedUpdate() {}

  /** {@code param ← round(f32(param) − delta)}; {@code delta} is float32 and left as it is. */
  public static void subtract(NDArray param, NDArray delta) {
    apply(param, 1f, delta);
  }

  /**
   * {@code param ← round(f32(param) · keep − delta)} ({@code keep} = 1 − ηλ for weight decay);
   * {@code delta} is float32 and left as it is.
   */
  public static void apply(NDArray param, float keep, NDArray delta) {
    if (delta.getDataType() != DataType.FLOAT32) {
      throw new IllegalArgumentException(
          "an update is computed in float32, got " + delta.getDataType());
    }
    if (param.getDataType() == DataType.FLOAT32) {
      if (keep != 1f) {
        param.muli(keep);
      }
      param.subi(delta);
      return;
    }
    try (NDArray wide = param.toType(DataType.FLOAT32, true)) {
      if (keep != 1f) {
        wide.muli(keep);
      }
      wide.subi(delta);
      try (NDArray narrow = wide.toType(param.getDataType(), true)) {
        narrow.copyTo(param);
      }
    }
  }
}
