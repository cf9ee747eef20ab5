package ai.attune.models.qwen2vl;

import ai.attune.core.params.ParameterStore;
import ai.attune.models.layers.Activations;
import ai.attune.models.layers.Linear;
import ai.attune.models.layers.RmsNorm;
import ai.djl.ndarray.NDArray;

/**
 * The end of the vision tower ({@code visual.merger}): RMSNorm ({@code ln_q}, eps 1e-6) of each
 * patch, then each run of {@code merge²} consecutive patches (one merged token) concatenated and
 * projected by {@code mlp.0} → GELU → {@code mlp.2} to the text width.
 */
final class Qwen25VlPatchMerger {
  private final int mergedWidth;
  private final RmsNorm lnQ;
  private final Linear fc1;
  private final Linear fc2;

  Qwen25VlPatchMerger(ParameterStore store, Qwen25VlVisionConfig c) {
    this.mergedWidth = c.hiddenSize() * c.mergeUnit();
    lnQ = new RmsNorm(store, "visual.merger.ln_q", c.hiddenSize(), 1e-6f);
    fc1 = new Linear(store, "visual.merger.mlp.0", mergedWidth, mergedWidth, true);
    fc2 = new Linear(store, "visual.merger.mlp.2", mergedWidth, c.outHiddenSize(), true);
  }

  /** {@code [N, hidden]} patches to {@code [N / merge², outHidden]} tokens. */
  NDArray forward(NDArray patches) {
    NDArray grouped = lnQ.forward(patches).reshape(-1, mergedWidth);
    return fc2.forward(Activations.GELU.apply(fc1.forward(grouped)));
  }
}
