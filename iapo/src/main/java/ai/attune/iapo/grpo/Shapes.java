package ai.attune.iapo.grpo;

import ai.djl.ndarray.NDArray;

/** Shape checks shared by the loss pieces. */
final class Shapes {
  private Shapes() {}

  static void requireSame(String name, NDArray a, NDArray like) {
    if (!a.getShape().equals(like.getShape())) {
      throw new IllegalArgumentException(
          name
              + " must have the shape of the log-probabilities "
              + like.getShape()
              + ", got "
              + a.getShape());
    }
  }

  static void require2d(String name, NDArray a) {
    if (a.getShape().dimension() != 2) {
      throw new IllegalArgumentException(name + " must be [B, T], got " + a.getShape());
    }
  }
}
