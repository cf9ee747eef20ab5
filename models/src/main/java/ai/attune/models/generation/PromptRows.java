package ai.attune.models.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Host copies and checks of a prompt batch, done once before decoding. */
final class PromptRows {
  private PromptRows() {}

  /** The ids {@code [B, T]} as Java rows. */
  static long[][] ids(NDArray ids) {
    Shape shape = ids.getShape();
    if (shape.dimension() != 2 || shape.get(0) < 1 || shape.get(1) < 1) {
      throw new IllegalArgumentException("inputIds must be [B, T] with B, T >= 1, got " + shape);
    }
    return rows(ids);
  }

  /**
   * Fails unless every row of the mask is 0s then 1s with at least one 1: left padding, the only
   * layout where new tokens can simply be appended.
   */
  static void requireLeftPadded(NDArray attentionMask, Shape idsShape) {
    if (!attentionMask.getShape().equals(idsShape)) {
      throw new IllegalArgumentException(
          "attentionMask shape "
              + attentionMask.getShape()
              + " differs from inputIds shape "
              + idsShape);
    }
    long[][] mask = rows(attentionMask);
    for (int b = 0; b < mask.length; b++) {
      long[] row = mask[b];
      for (int t = 0; t < row.length; t++) {
        boolean ok = (row[t] == 0 || row[t] == 1) && (t == 0 || row[t] >= row[t - 1]);
        if (!ok || row[row.length - 1] != 1) {
          throw new IllegalArgumentException(
              "attentionMask row "
                  + b
                  + " is not left-padded (0s then 1s, ending with a token): generation appends"
                  + " after the last column, so pad prompts on the left");
        }
      }
    }
  }

  /**
   * Fails unless the mask is {@code [B, past + T]} of 0s and 1s whose every row ends with a 1: a
   * continuation's cached part may hold masked positions anywhere.
   */
  static void requireContinuation(NDArray attentionMask, Shape idsShape, long past) {
    Shape s = attentionMask.getShape();
    if (s.dimension() != 2 || s.get(0) != idsShape.get(0) || s.get(1) != past + idsShape.get(1)) {
      throw new IllegalArgumentException(
          "attentionMask shape "
              + s
              + " must be [B, cached "
              + past
              + " + new "
              + idsShape.get(1)
              + "] for inputIds "
              + idsShape);
    }
    long[][] mask = rows(attentionMask);
    for (int b = 0; b < mask.length; b++) {
      for (long v : mask[b]) {
        if (v != 0 && v != 1) {
          throw new IllegalArgumentException(
              "attentionMask row " + b + " holds " + v + "; only 0 and 1 are allowed");
        }
      }
      if (mask[b][mask[b].length - 1] != 1) {
        throw new IllegalArgumentException(
            "attentionMask row "
                + b
                + " does not end with a"
                + " token: generation appends after the last column, so pad on the left");
      }
    }
  }

  private static long[][] rows(NDArray a) {
    int b = (int) a.getShape().get(0);
    int t = (int) a.getShape().get(1);
    long[] flat;
    if (a.getDataType() == DataType.INT64) {
      flat = a.toLongArray();
    } else {
      try (NDArray cast = a.toType(DataType.INT64, false)) {
        flat = cast.toLongArray();
      }
    }
    long[][] rows = new long[b][t];
    for (int i = 0; i < b; i++) {
      System.arraycopy(flat, i * t, rows[i], 0, t);
    }
    return rows;
  }
}
