package ai.attune.iapo.grpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** float64 arrays from Java literals, for hand-computed checks. */
final class GrpoTestArrays {
  private GrpoTestArrays() {}

  static NDArray d1(NDManager m, double... v) {
    return m.create(v, new Shape(v.length));
  }

  static NDArray d2(NDManager m, double[][] rows) {
    int t = rows[0].length;
    double[] flat = new double[rows.length * t];
    for (int b = 0; b < rows.length; b++) {
      System.arraycopy(rows[b], 0, flat, b * t, t);
    }
    return m.create(flat, new Shape(rows.length, t));
  }

  static double scalar(NDArray a) {
    return a.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
  }
}
