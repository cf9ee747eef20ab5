package ai.attune.models.opt;

import ai.attune.core.params.ParameterStore;
import ai.attune.models.layers.Attention;
import ai.attune.models.layers.AttentionMask;
import ai.attune.models.layers.FeedForward;
import ai.attune.models.layers.KvCache;
import ai.attune.models.layers.LayerNorm;
import ai.attune.models.layers.Linear;
import ai.djl.ndarray.NDArray;

/** One OPT decoder layer: self-attention and a ReLU MLP, each with a residual, pre- or post-LN. */
final class OptDecoderLayer {
  private final int index;
  private final OptConfig config;
  private final Linear q;
  private final Linear k;
  private final Linear v;
  private final Linear out;
  private final LayerNorm attnNorm;
  private final Linear fc1;
  private final Linear fc2;
  private final LayerNorm mlpNorm;

  OptDecoderLayer(ParameterStore store, OptConfig c, int index) {
    this.index = index;
    this.config = c;
    String p = "model.decoder.layers." + index + ".";
    int h = c.hiddenSize();
    boolean bias = c.enableBias();
    q = new Linear(store, p + "self_attn.q_proj", h, h, bias);
    k = new Linear(store, p + "self_attn.k_proj", h, h, bias);
    v = new Linear(store, p + "self_attn.v_proj", h, h, bias);
    out = new Linear(store, p + "self_attn.out_proj", h, h, bias);
    attnNorm = new LayerNorm(store, p + "self_attn_layer_norm", h, 1e-5f, c.layerNormAffine());
    fc1 = new Linear(store, p + "fc1", h, c.ffnDim(), bias);
    fc2 = new Linear(store, p + "fc2", c.ffnDim(), h, bias);
    mlpNorm = new LayerNorm(store, p + "final_layer_norm", h, 1e-5f, c.layerNormAffine());
  }

  NDArray forward(NDArray hidden, AttentionMask mask, KvCache cache) {
    // each intermediate is closed at its last use, as Python frees a tensor: the allocator then
    // reuses a layer's memory inside the layer (Scopes frees what is left when the layer ends)
    boolean pre = config.layerNormBefore();
    NDArray normed = pre ? attnNorm.forward(hidden) : hidden;
    NDArray attn = selfAttention(normed, mask, cache);
    if (normed != hidden) {
      normed.close();
    }
    NDArray x = hidden.add(attn);
    attn.close();
    if (!pre) {
      NDArray n = attnNorm.forward(x);
      x.close();
      x = n;
    }
    NDArray y = pre ? mlpNorm.forward(x) : x;
    NDArray down = FeedForward.apply(fc1, config.activation(), fc2, y, y != x);
    NDArray sum = x.add(down);
    down.close();
    x.close();
    if (pre) {
      return sum;
    }
    NDArray n = mlpNorm.forward(sum);
    sum.close();
    return n;
  }

  private NDArray selfAttention(NDArray x, AttentionMask mask, KvCache cache) {
    int heads = config.numHeads();
    int dim = config.headDim();
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    NDArray qs = Attention.splitHeadsOf(q.forward(x), b, t, heads, dim);
    NDArray ks = Attention.splitHeadsOf(k.forward(x), b, t, heads, dim);
    NDArray vs = Attention.splitHeadsOf(v.forward(x), b, t, heads, dim);
    if (cache != null) {
      NDArray[] kv = cache.append(index, ks, vs);
      ks = kv[0];
      vs = kv[1];
    }
    float scale = (float) (1.0 / Math.sqrt(dim));
    NDArray ctx = Attention.scaledDotProduct(qs, ks, vs, mask, scale);
    qs.close();
    if (cache == null) {
      ks.close();
      vs.close();
    }
    return Attention.project(ctx, out);
  }
}
