package ai.attune.models.opt;

import ai.attune.core.params.ParameterStore;
import ai.attune.models.layers.Attention;
import ai.attune.models.layers.AttentionMask;
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
    boolean pre = config.layerNormBefore();
    NDArray x = pre ? attnNorm.forward(hidden) : hidden;
    x = hidden.add(selfAttention(x, mask, cache));
    if (!pre) {
      x = attnNorm.forward(x);
    }
    NDArray y = pre ? mlpNorm.forward(x) : x;
    y = x.add(fc2.forward(config.activation().apply(fc1.forward(y))));
    return pre ? y : mlpNorm.forward(y);
  }

  private NDArray selfAttention(NDArray x, AttentionMask mask, KvCache cache) {
    int heads = config.numHeads();
    int dim = config.headDim();
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    NDArray qs = Attention.splitHeads(q.forward(x), b, t, heads, dim);
    NDArray ks = Attention.splitHeads(k.forward(x), b, t, heads, dim);
    NDArray vs = Attention.splitHeads(v.forward(x), b, t, heads, dim);
    if (cache != null) {
      NDArray[] kv = cache.append(index, ks, vs);
      ks = kv[0];
      vs = kv[1];
    }
    float scale = (float) (1.0 / Math.sqrt(dim));
    NDArray ctx = Attention.scaledDotProduct(qs, ks, vs, mask, scale);
    return out.forward(Attention.mergeHeads(ctx));
  }
}
