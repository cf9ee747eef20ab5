package ai.attune.models.qwen2vl;

import ai.attune.core.params.ParameterStore;
import ai.attune.models.layers.Attention;
import ai.attune.models.layers.AttentionMask;
import ai.attune.models.layers.Linear;
import ai.attune.models.layers.RmsNorm;
import ai.attune.models.layers.RotaryEmbedding;
import ai.attune.models.layers.Tensors;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * One block of Qwen2.5-VL's vision tower ({@code visual.blocks.i}): {@code h + attn(norm1(h))},
 * then {@code h + mlp(norm2(h))}, with RMSNorm (eps 1e-6), multi-head attention from one fused
 * {@code qkv} projection under the 2-D rotary embedding (rotation in float32), and the gated MLP
 * {@code down(act(gate(x)) * up(x))}; every linear layer has a bias. Which tokens see each other
 * (one window, or one image frame) is the caller's mask.
 */
final class Qwen25VlVisionBlock {
  private static final float NORM_EPS = 1e-6f;
  private final Qwen25VlVisionConfig config;
  private final RmsNorm norm1;
  private final Linear qkv;
  private final Linear proj;
  private final RmsNorm norm2;
  private final Linear gate;
  private final Linear up;
  private final Linear down;

  Qwen25VlVisionBlock(ParameterStore store, Qwen25VlVisionConfig c, int index) {
    this.config = c;
    String p = "visual.blocks." + index + ".";
    int h = c.hiddenSize();
    norm1 = new RmsNorm(store, p + "norm1", h, NORM_EPS);
    qkv = new Linear(store, p + "attn.qkv", h, 3 * h, true);
    proj = new Linear(store, p + "attn.proj", h, h, true);
    norm2 = new RmsNorm(store, p + "norm2", h, NORM_EPS);
    gate = new Linear(store, p + "mlp.gate_proj", h, c.intermediateSize(), true);
    up = new Linear(store, p + "mlp.up_proj", h, c.intermediateSize(), true);
    down = new Linear(store, p + "mlp.down_proj", c.intermediateSize(), h, true);
  }

  /**
   * @param hidden {@code [1, N, hidden]} in window order
   * @param cos float32 {@code [N, headDim]} rotary tables in the same order; likewise {@code sin}
   */
  NDArray forward(NDArray hidden, AttentionMask mask, NDArray cos, NDArray sin) {
    NDArray h = hidden.add(attention(norm1.forward(hidden), mask, cos, sin));
    NDArray x = norm2.forward(h);
    NDArray gated = config.activation().apply(gate.forward(x)).mul(up.forward(x));
    return h.add(down.forward(gated));
  }

  private NDArray attention(NDArray x, AttentionMask mask, NDArray cos, NDArray sin) {
    int heads = config.numHeads();
    int dim = config.headDim();
    NDList parts = qkv.forward(x).split(3, 2); // q, k, v: [1, N, hidden] each
    NDArray q = rotate(Attention.splitHeads(parts.get(0), heads, dim), cos, sin);
    NDArray k = rotate(Attention.splitHeads(parts.get(1), heads, dim), cos, sin);
    NDArray v = Attention.splitHeads(parts.get(2), heads, dim);
    float scale = (float) (1.0 / Math.sqrt(dim));
    NDArray ctx = Attention.scaledDotProduct(q, k, v, mask, scale);
    return Attention.project(ctx, proj);
  }

  /** The rotation in float32, cast back to the compute type (HF's vision rotary). */
  private static NDArray rotate(NDArray x, NDArray cos, NDArray sin) {
    NDManager m = x.getManager();
    DataType type = x.getDataType();
    NDArray rotated = RotaryEmbedding.apply(Tensors.float32(x, m), cos, sin);
    return Tensors.as(rotated, type, m);
  }
}
