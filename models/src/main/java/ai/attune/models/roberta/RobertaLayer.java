package ai.attune.models.roberta;

import ai.attune.core.params.ParameterStore;
import ai.attune.models.layers.Attention;
import ai.attune.models.layers.AttentionMask;
import ai.attune.models.layers.FeedForward;
import ai.attune.models.layers.LayerNorm;
import ai.attune.models.layers.Linear;
import ai.djl.ndarray.NDArray;

/**
 * One RoBERTa encoder layer, post-LN: {@code h = LN(x + attn(x))}, then {@code LN(h + W2 act(W1
 * h))}, with bidirectional self-attention over unpadded keys.
 */
final class RobertaLayer {
  private final RobertaConfig config;
  private final Linear query;
  private final Linear key;
  private final Linear value;
  private final Linear attnOut;
  private final LayerNorm attnNorm;
  private final Linear intermediate;
  private final Linear output;
  private final LayerNorm outputNorm;

  RobertaLayer(ParameterStore store, RobertaConfig c, int index) {
    this.config = c;
    String p = "roberta.encoder.layer." + index + ".";
    int h = c.hiddenSize();
    float eps = c.layerNormEps();
    query = new Linear(store, p + "attention.self.query", h, h, true);
    key = new Linear(store, p + "attention.self.key", h, h, true);
    value = new Linear(store, p + "attention.self.value", h, h, true);
    attnOut = new Linear(store, p + "attention.output.dense", h, h, true);
    attnNorm = new LayerNorm(store, p + "attention.output.LayerNorm", h, eps, true);
    intermediate = new Linear(store, p + "intermediate.dense", h, c.intermediateSize(), true);
    output = new Linear(store, p + "output.dense", c.intermediateSize(), h, true);
    outputNorm = new LayerNorm(store, p + "output.LayerNorm", h, eps, true);
  }

  NDArray forward(NDArray hidden, AttentionMask mask) {
    // each intermediate is closed at its last use, as in OPT's and Llama's layers: the allocator
    // then reuses a layer's memory inside the layer (Scopes frees what is left when it ends)
    NDArray attn = selfAttention(hidden, mask);
    NDArray attnSum = hidden.add(attn);
    attn.close();
    NDArray h = attnNorm.forward(attnSum);
    attnSum.close();
    NDArray down = FeedForward.apply(intermediate, config.activation(), output, h, false);
    NDArray sum = h.add(down);
    down.close();
    h.close();
    NDArray out = outputNorm.forward(sum);
    sum.close();
    return out;
  }

  private NDArray selfAttention(NDArray x, AttentionMask mask) {
    int heads = config.numHeads();
    int dim = config.headDim();
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    NDArray qs = Attention.splitHeadsOf(query.forward(x), b, t, heads, dim);
    NDArray ks = Attention.splitHeadsOf(key.forward(x), b, t, heads, dim);
    NDArray vs = Attention.splitHeadsOf(value.forward(x), b, t, heads, dim);
    float scale = (float) (1.0 / Math.sqrt(dim));
    NDArray ctx = Attention.scaledDotProduct(qs, ks, vs, mask, scale);
    qs.close();
    ks.close();
    vs.close();
    return Attention.project(ctx, attnOut);
  }
}
