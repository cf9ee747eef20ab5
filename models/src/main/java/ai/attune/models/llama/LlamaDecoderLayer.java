package ai.attune.models.llama;

import ai.attune.core.params.ParameterStore;
import ai.attune.models.layers.Attention;
import ai.attune.models.layers.AttentionMask;
import ai.attune.models.layers.KvCache;
import ai.attune.models.layers.Linear;
import ai.attune.models.layers.RmsNorm;
import ai.attune.models.layers.RotaryEmbedding;
import ai.djl.ndarray.NDArray;

/**
 * One Llama-family decoder layer: {@code h + attn(norm(h))}, then {@code h + mlp(norm(h))}, with
 * rotary grouped-query attention and the gated MLP {@code down(act(gate(x)) * up(x))}.
 */
final class LlamaDecoderLayer {
  private final int index;
  private final LlamaConfig config;
  private final RmsNorm inputNorm;
  private final Linear q;
  private final Linear k;
  private final Linear v;
  private final Linear o;
  private final RmsNorm postAttentionNorm;
  private final Linear gate;
  private final Linear up;
  private final Linear down;

  LlamaDecoderLayer(ParameterStore store, LlamaConfig c, int index) {
    this.index = index;
    this.config = c;
    String p = "model.layers." + index + ".";
    int h = c.hiddenSize();
    int qWidth = c.numHeads() * c.headDim();
    int kvWidth = c.numKvHeads() * c.headDim();
    LlamaConfig.Biases b = c.biases();
    inputNorm = new RmsNorm(store, p + "input_layernorm", h, c.rmsNormEps());
    q = new Linear(store, p + "self_attn.q_proj", h, qWidth, b.qkv());
    k = new Linear(store, p + "self_attn.k_proj", h, kvWidth, b.qkv());
    v = new Linear(store, p + "self_attn.v_proj", h, kvWidth, b.qkv());
    o = new Linear(store, p + "self_attn.o_proj", qWidth, h, b.output());
    postAttentionNorm = new RmsNorm(store, p + "post_attention_layernorm", h, c.rmsNormEps());
    gate = new Linear(store, p + "mlp.gate_proj", h, c.intermediateSize(), b.mlp());
    up = new Linear(store, p + "mlp.up_proj", h, c.intermediateSize(), b.mlp());
    down = new Linear(store, p + "mlp.down_proj", c.intermediateSize(), h, b.mlp());
  }

  /**
   * @param cosSin the rotary tables of this pass's positions (from {@link RotaryEmbedding})
   * @param cache keys and values of earlier positions, extended by this pass; null for none
   */
  NDArray forward(NDArray hidden, AttentionMask mask, NDArray[] cosSin, KvCache cache) {
    NDArray h = hidden.add(selfAttention(inputNorm.forward(hidden), mask, cosSin, cache));
    NDArray x = postAttentionNorm.forward(h);
    NDArray gated = config.activation().apply(gate.forward(x)).mul(up.forward(x));
    return h.add(down.forward(gated));
  }

  private NDArray selfAttention(NDArray x, AttentionMask mask, NDArray[] cosSin, KvCache cache) {
    int dim = config.headDim();
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    NDArray qs = Attention.splitHeads(q.forward(x), b, t, config.numHeads(), dim);
    NDArray ks = Attention.splitHeads(k.forward(x), b, t, config.numKvHeads(), dim);
    NDArray vs = Attention.splitHeads(v.forward(x), b, t, config.numKvHeads(), dim);
    qs = RotaryEmbedding.apply(qs, cosSin[0], cosSin[1]);
    ks = RotaryEmbedding.apply(ks, cosSin[0], cosSin[1]);
    if (cache != null) { // the cache holds the rotated key/value heads, before the repeat
      NDArray[] kv = cache.append(index, ks, vs);
      ks = kv[0];
      vs = kv[1];
    }
    float scale = (float) (1.0 / Math.sqrt(dim));
    if (cache != null && t == 1) { // a decoding step: no copy of the cache
      return o.forward(
          Attention.mergeHeads(
              Attention.groupedDecodeStep(qs, ks, vs, config.groups(), mask, scale)));
    }
    ks = Attention.repeatKv(ks, config.groups());
    vs = Attention.repeatKv(vs, config.groups());
    NDArray ctx = Attention.scaledDotProduct(qs, ks, vs, mask, scale);
    return o.forward(Attention.mergeHeads(ctx));
  }
}
