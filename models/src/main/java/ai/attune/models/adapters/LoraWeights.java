package ai.attune.models.adapters;

import ai.attune.core.params.Parameter;
import ai.attune.core.params.ParameterStore;
import ai.attune.models.layers.DirectOps;
import ai.attune.models.layers.Tensors;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The LoRA update of one linear layer: {@code A} (r x in), {@code B} (out x r) and the factor
 * {@code alpha / r}, so that the layer computes {@code x Wᵀ + b + (alpha/r) (x Aᵀ) Bᵀ}.
 *
 * <p>Lifecycle: created by {@link Lora#apply} with {@code A} initialised from the seed, {@code B =
 * 0}, both requiring gradients; used by every forward while unmerged; {@link #merge} folds the
 * update into {@code W} (the forward then adds nothing), {@link #unmerge} takes it out again. The
 * delta uses no in-place op, so it is differentiable under a {@code GradientCollector}. An
 * optimizer that replaces the value of {@code A} or {@code B} must mark the new array as requiring
 * gradients itself.
 */
public final class LoraWeights {
  private final ParameterStore store;
  private final String layer;
  private final Parameter base;
  private final Parameter a;
  private final Parameter b;
  private final float scale;
  private boolean merged;

  LoraWeights(ParameterStore store, LoraTarget layer, Parameter a, Parameter b, float scale) {
    this.store = store;
    this.layer = layer.name();
    this.base = layer.weight();
    this.a = a;
    this.b = b;
    this.scale = scale;
  }

  /** The name of the adapted layer. */
  public String layer() {
    return layer;
  }

  /** {@code <layer>.lora_A.weight}, shape {@code [r, in]}. */
  public Parameter a() {
    return a;
  }

  /** {@code <layer>.lora_B.weight}, shape {@code [out, r]}. */
  public Parameter b() {
    return b;
  }

  /** {@code alpha / r}. */
  public float scale() {
    return scale;
  }

  /** Whether the update is currently folded into the base weight. */
  public boolean merged() {
    return merged;
  }

  /** {@code (alpha/r) (x Aᵀ) Bᵀ}, in {@code x}'s manager; only meaningful while unmerged. */
  public NDArray delta(NDArray x) {
    NDArray xa = DirectOps.linear(x, a.value(), null);
    NDArray scaled = Tensors.mulScalar(xa, scale); // not mul(Number): autograd keeps it
    return DirectOps.linear(scaled, b.value(), null);
  }

  /** {@code W <- W + (alpha/r) B A}; the forward stops adding the delta. */
  public void merge() {
    if (merged) {
      throw new IllegalStateException("lora of " + layer + " is already merged");
    }
    fold(scale);
    merged = true;
  }

  /** {@code W <- W - (alpha/r) B A}; the forward adds the delta again. */
  public void unmerge() {
    if (!merged) {
      throw new IllegalStateException("lora of " + layer + " is not merged");
    }
    fold(-scale);
    merged = false;
  }

  private void fold(float factor) {
    NDManager params = store.manager();
    try (NDManager tmp = params.newSubManager()) {
      NDArray ba = b.value().matMul(a.value());
      ba.attach(tmp);
      NDArray w = ba.mul(factor).add(base.value());
      w.attach(params);
      base.set(w);
    }
  }
}
