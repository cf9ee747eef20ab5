package ai.attune.models.layers;

import ai.djl.ndarray.NDArray;

/** The two-layer feed-forward block {@code out(act(in(x)))} of OPT's and RoBERTa's layers. */
public final class FeedForward {
  private FeedForward() {}

  /**
   * {@code out(act(in(x)))}, each intermediate closed at its last use, as Python frees a tensor.
   * With {@code inputDead} the input is closed as soon as {@code in} has read it; otherwise it
   * stays the caller's (a residual that is added back later).
   */
  public static NDArray apply(
      Linear in, Activations act, Linear out, NDArray x, boolean inputDead) {
    NDArray up = in.forward(x);
    if (inputDead) {
      x.close();
    }
    NDArray activated = act.apply(up);
    up.close();
    NDArray down = out.forward(activated);
    activated.close();
    return down;
  }
}
