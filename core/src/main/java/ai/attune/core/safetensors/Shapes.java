package ai.attune.core.safetensors;

/** Shape arithmetic shared by the package. */
final class Shapes {
  private Shapes() {}

  /**
   * Number of elements of a shape.
   *
   * @throws IllegalArgumentException on a negative dim
   * @throws ArithmeticException when the product overflows a long
   */
  static long numel(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension " + d);
      }
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** The element count as an int, for Java arrays; fails clearly past 2^31 - 1. */
  static int intNumel(String name, long numel) {
    if (numel > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException(
          "tensor '" + name + "' has " + numel + " elements, too many for one Java array");
    }
    return (int) numel;
  }
}
