package ai.attune.models.layers;

import ai.attune.core.device.EngineConstants;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Scaled dot-product attention as plain array ops (DJL has no fused kernel): matmul, additive mask,
 * softmax in float32, matmul. Shapes use {@code [B, heads, T, headDim]}.
 */
public final class Attention {
  private Attention() {}

  /** {@code [B, T, heads*headDim]} to {@code [B, heads, T, headDim]}. */
  public static NDArray splitHeads(NDArray x, int heads, int headDim) {
    Shape s = x.getShape();
    return splitHeads(x, s.get(0), s.get(1), heads, headDim);
  }

  /**
   * {@link #splitHeads(NDArray, int, int)} with B and T given: a projection's output is a new
   * array, and reading its shape costs an engine call and a {@code Shape} (much of a cold op's Java
   * time), while the caller knows B and T from the projection's input.
   */
  public static NDArray splitHeads(NDArray x, long batch, long tokens, int heads, int headDim) {
    return DirectOps.permute(DirectOps.reshape(x, batch, tokens, heads, headDim), 0, 2, 1, 3);
  }

  /**
   * {@link #splitHeads(NDArray, long, long, int, int)} of a projection the caller owns and no
   * longer needs: the projection's handle is closed, and the split (a view) keeps its storage
   * alive, so the storage is freed with the last of the heads' uses instead of at the end of the
   * layer.
   */
  public static NDArray splitHeadsOf(
      NDArray projection, long batch, long tokens, int heads, int headDim) {
    NDArray split = splitHeads(projection, batch, tokens, heads, headDim);
    projection.close();
    return split;
  }

  /**
   * The output projection {@code out} of the merged heads {@code ctx}, which the caller no longer
   * needs: {@code ctx} is closed once merged and the merged heads once projected, as {@link
   * #splitHeadsOf} closes the projection it splits.
   */
  public static NDArray project(NDArray ctx, Linear out) {
    NDArray merged = mergeHeads(ctx);
    ctx.close();
    NDArray y = out.forward(merged);
    merged.close();
    return y;
  }

  /** {@code [B, heads, T, headDim]} to {@code [B, T, heads*headDim]} (no shape read). */
  public static NDArray mergeHeads(NDArray x) {
    return DirectOps.flatten(DirectOps.permute(x, 0, 2, 1, 3), 2, 3);
  }

  /** Repeats each of {@code kvHeads} key/value heads {@code groups} times (grouped-query). */
  public static NDArray repeatKv(NDArray kv, int groups) {
    if (groups == 1) {
      return kv;
    }
    Shape s = kv.getShape();
    return kv.expandDims(2)
        .broadcast(s.get(0), s.get(1), groups, s.get(2), s.get(3))
        .reshape(s.get(0), s.get(1) * groups, s.get(2), s.get(3));
  }

  /**
   * softmax(q kᵀ · scale + mask) v, with the softmax in float32; a query that sees no key outputs
   * zeros. The mask broadcasts to {@code [B, heads, Tq, Tk]}.
   */
  public static NDArray scaledDotProduct(
      NDArray q, NDArray k, NDArray v, AttentionMask mask, float scale) {
    NDManager m = q.getManager();
    NDArray scores = DirectOps.matMul(q, DirectOps.swapAxes(k, 2, 3));
    NDArray s32 = Tensors.float32(scores, m);
    if (!Tensors.recordsGradients(s32)) {
      // no backward pass reads them: scale, mask and zero in place (two score-sized arrays, not 5)
      if (scale != 1f) {
        s32.muli(EngineConstants.of(m, scale, DataType.FLOAT32)); // one per model: shared
      }
      NDArray probs = s32.addi(mask.additive()).softmax(-1);
      s32.close(); // the scores are dead once their softmax exists: free them before the product
      NDArray p = Tensors.as(probs.muli(mask.rowVisible()), v.getDataType(), m);
      NDArray ctx = DirectOps.matMul(p, v);
      probs.close();
      if (p != probs) {
        p.close();
      }
      return ctx;
    }
    if (scale != 1f) {
      s32 = Tensors.mulScalar(s32, scale); // not mul(Number): autograd keeps the scalar
    }
    NDArray probs = s32.add(mask.additive()).softmax(-1).mul(mask.rowVisible());
    return Tensors.as(probs, v.getDataType(), m).matMul(v);
  }

  /**
   * {@link #scaledDotProduct} of one query position per row ({@code q [B, heads, 1, headDim]})
   * against {@code kvHeads = heads / groups} key/value heads ({@code [B, kvHeads, Tk, headDim]})
   * without {@link #repeatKv}: the queries of a group share their key/value head in one matmul, so
   * a decoding step never copies the cache. The mask must be {@code [B, 1, 1, Tk]}.
   */
  public static NDArray groupedDecodeStep(
      NDArray q, NDArray k, NDArray v, int groups, AttentionMask mask, float scale) {
    Shape s = q.getShape();
    if (s.get(2) != 1) {
      throw new IllegalArgumentException("a decoding step has one query per row, got " + s);
    }
    NDManager m = q.getManager();
    long kvHeads = s.get(1) / groups;
    NDArray scores =
        q.reshape(s.get(0), kvHeads, groups, s.get(3))
            .matMul(k.transpose(0, 1, 3, 2)); // [B, kvHeads, groups, Tk]
    NDArray s32 = Tensors.float32(scores, m);
    if (scale != 1f) {
      s32 = s32.mul(scale);
    }
    NDArray probs = s32.add(mask.additive()).softmax(-1).mul(mask.rowVisible());
    return Tensors.as(probs, v.getDataType(), m).matMul(v).reshape(s);
  }
}
