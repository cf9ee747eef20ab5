package ai.attune.models.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/**
 * Frees a block's intermediate arrays as soon as the block is done instead of when the caller's
 * step manager closes: a forward pass then holds one layer's activations at a time, not every
 * layer's (DJL frees arrays only when their manager or scope closes).
 *
 * <p>Safe under a gradient collector: closing an array's handle does not free what PyTorch's
 * autograd graph saved for the backward pass. Arrays that must outlive the block (the KV cache's
 * entries) unregister themselves from the scope.
 */
public final class Scopes {
  private Scopes() {}

  /** Runs {@code block} and closes every array it created except the one it returns. */
  public static NDArray keepOnly(Supplier<NDArray> block) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray out = block.get();
      NDScope.unregister(out);
      return out;
    }
  }
}
