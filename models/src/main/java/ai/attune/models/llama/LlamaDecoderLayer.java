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
    // each intermediate is closed at its last use, as Python frees a tensor: the allocator then
    // reuses a layer's memory inside the layer (Scopes frees what is left when the layer ends)
    NDArray normed = inputNorm.forward(hidden);
    NDArray attn = selfAttention(normed, mask, cosSin, cache);
    normed.close();
    NDArray h = hidden.add(attn);
    attn.close();
    NDArray x = postAttentionNorm.forward(h);
    NDArray gateOut = gate.forward(x);
    NDArray act = config.activation().apply(gateOut);
    gateOut.close();
    NDArray upOut = up.forward(x);
    x.close();
    NDArray gated = act.mul(upOut);
    act.close();
    upOut.close();
    NDArray downOut = down.forward(gated);
    gated.close();
    NDArray out = h.add(downOut);
    downOut.close();
    h.close();
    return out;
  }

  private NDArray selfAttention(NDArray x, AttentionMask mask, NDArray[] cosSin, KvCache cache) {
    int dim = config.headDim();
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    int heads = config.numHeads();
    int kvHeads = config.numKvHeads();
    NDArray qs = rotated(Attention.splitHeadsOf(q.forward(x), b, t, heads, dim), cosSin);
    NDArray ks = rotated(Attention.splitHeadsOf(k.forward(x), b, t, kvHeads, dim), cosSin);
    NDArray vs = Attention.splitHeadsOf(v.forward(x), b, t, kvHeads, dim);
    if (cache != null) { // the cache holds the rotated key/value heads, before the repeat
      NDArray[] kv = cache.append(index, ks, vs);
      ks = kv[0];
      vs = kv[1];
    }
    float scale = (float) (1.0 / Math.sqrt(dim));
    if (cache != null && t == 1) { // a decoding step: no copy of the cache
      return Attention.project(
          Attention.groupedDecodeStep(qs, ks, vs, config.groups(), mask, scale), o);
    }
    NDArray kr = Attention.repeatKv(ks, config.groups());
    NDArray vr = Attention.repeatKv(vs, config.groups());
    NDArray ctx = Attention.scaledDotProduct(qs, kr, vr, mask, scale);
    qs.close();
    if (cache == null) { // the cache keeps its own heads
      ks.close();
      vs.close();
    }
    if (kr != ks) {
      kr.close();
      vr.close();
    }
    return Attention.project(ctx, o);
  }

  /** The rotary embedding applied to {@code heads}, which is closed (dead once rotated). */
  private static NDArray rotated(NDArray heads, NDArray[] cosSin) {
    NDArray r = RotaryEmbedding.apply(heads, cosSin[0], cosSin[1]);
    heads.close();
    return r;
  }
}
