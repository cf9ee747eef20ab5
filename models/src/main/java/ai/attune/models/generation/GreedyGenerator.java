package ai.attune.models.generation;

import ai.attune.models.CausalLM;
import ai.attune.models.layers.KvCache;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;

/**
 * Greedy decoding with a KV cache, batched, prompts left-padded.
 *
 * <p>One full pass over the prompts fills the cache, then one pass per new token. Rows that have
 * produced an end-of-sequence token continue with the pad token, as HF does; decoding stops when
 * every row has finished or after {@code maxNewTokens}. Every step runs in its own sub-manager.
 */
public final class GreedyGenerator {
  private final CausalLM model;

  public GreedyGenerator(CausalLM model) {
    this.model = model;
  }

  /**
   * Prompt plus generated tokens, int64 {@code [B, T + n]} in {@code out}'s manager.
   *
   * @param inputIds int64 {@code [B, T]}, left-padded
   * @param attentionMask int64 {@code [B, T]}
   */
  public NDArray generate(NDArray inputIds, NDArray attentionMask, int maxNewTokens,
      NDManager out) {
    long[][] rows = toRows(inputIds);
    int batch = rows.length;
    List<Integer> eos = model.info().eosTokenIds();
    long pad = model.info().padTokenId();
    long[][] generated = new long[batch][maxNewTokens];
    boolean[] finished = new boolean[batch];
    int produced = 0;
    try (NDManager gen = out.newSubManager(); KvCache cache = model.newCache(gen)) {
      NDArray mask = attentionMask.toType(DataType.INT64, true);
      mask.attach(gen);
      NDArray next = inputIds;
      for (int step = 0; step < maxNewTokens; step++) {
        long[] tokens;
        try (NDManager stepManager = gen.newSubManager()) {
          NDArray ids = next.duplicate();
          ids.attach(stepManager);
          NDArray logits = model.forward(ids, mask, cache);
          long last = logits.getShape().get(1) - 1;
          tokens = logits.get(":, " + last + ", :").argMax(-1).toLongArray();
        }
        boolean all = true;
        for (int b = 0; b < batch; b++) {
          generated[b][step] = finished[b] ? pad : tokens[b];
          finished[b] |= eos.contains((int) generated[b][step]);
          all &= finished[b];
        }
        produced = step + 1;
        if (all) {
          break;
        }
        next = gen.create(column(generated, step)).reshape(batch, 1);
        NDArray ones = gen.ones(new ai.djl.ndarray.types.Shape(batch, 1), DataType.INT64);
        mask = mask.concat(ones, 1);
      }
    }
    return out.create(concat(rows, generated, produced));
  }

  private static long[][] toRows(NDArray ids) {
    long b = ids.getShape().get(0);
    long t = ids.getShape().get(1);
    long[] flat = ids.toType(DataType.INT64, false).toLongArray();
    long[][] rows = new long[(int) b][(int) t];
    for (int i = 0; i < b; i++) {
      System.arraycopy(flat, (int) (i * t), rows[i], 0, (int) t);
    }
    return rows;
  }

  private static long[] column(long[][] m, int col) {
    long[] c = new long[m.length];
    for (int i = 0; i < m.length; i++) {
      c[i] = m[i][col];
    }
    return c;
  }

  private static long[][] concat(long[][] prompt, long[][] generated, int produced) {
    long[][] rows = new long[prompt.length][];
    for (int b = 0; b < prompt.length; b++) {
      rows[b] = new long[prompt[b].length + produced];
      System.arraycopy(prompt[b], 0, rows[b], 0, prompt[b].length);
      System.arraycopy(generated[b], 0, rows[b], prompt[b].length, produced);
    }
    return rows;
  }
}
