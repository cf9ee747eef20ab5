package ai.attune.models.generation;

import ai.attune.models.CausalLM;
import ai.attune.models.TokenInputs;
import ai.attune.models.layers.KvCache;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Batched decoding with a KV cache for any {@link CausalLM}: greedy or seeded sampling, per-row
 * stop tokens, optional log-probabilities of the chosen tokens.
 *
 * <p>Lifecycle: one generator per model, reusable and stateless between calls. Each call runs one
 * full pass over the left-padded prompts to fill a fresh cache, then one pass per new token, each
 * step in its own sub-manager of the inputs' manager; everything is freed before it returns plain
 * Java arrays. A row that emits a stop token continues with the pad token (as HF does, attending to
 * it), decoding ends when every row has stopped or after {@code maxNewTokens}.
 *
 * <p>Randomness: row b draws its uniforms from the b-th {@link SplittableRandom#split()} of a
 * generator seeded with the config's seed (or from its own row seed), one per step, so a row's
 * tokens depend only on the seed, its index and the logits, never on the engine's global generator.
 * Per step, the host reads back only the B chosen tokens; the log-probabilities stay on the device
 * until the end.
 */
public final class Generator {
  private final CausalLM model;

  public Generator(CausalLM model) {
    this.model = model;
  }

  /**
   * Generates continuations of a batch of prompts.
   *
   * @param inputIds int64 {@code [B, T]}, left-padded
   * @param attentionMask {@code [B, T]}, 1 for tokens, 0 for the left padding
   * @throws ai.attune.models.InvalidInputException for prompts the model cannot run on, or that
   *     leave no room in its position table for {@code maxNewTokens}
   */
  public GenerationResult generate(
      NDArray inputIds, NDArray attentionMask, GenerationConfig config) {
    TokenInputs.checkGeneration(model, inputIds, attentionMask, config.maxNewTokens());
    PromptRows.ids(inputIds);
    PromptRows.requireLeftPadded(attentionMask, inputIds.getShape());
    try (NDManager gen = inputIds.getManager().newSubManager();
        KvCache cache = model.newCache(gen)) {
      return generate(cache, inputIds, attentionMask, config);
    }
  }

  /**
   * Generates continuations of sequences whose earlier tokens are already in {@code cache}
   * (multi-turn decoding that keeps the cache between turns): feeds {@code inputIds} after the
   * cached positions, then decodes as {@link #generate(NDArray, NDArray, GenerationConfig)} does.
   * On return the cache holds {@code inputIds} and every step's tokens except the last step's
   * ({@code past + T + steps - 1} positions; rows that had stopped hold pad tokens from there,
   * which the caller masks out of later passes). The model must place the new positions after the
   * cached ones (a view such as Qwen2.5-VL's {@code continueWith}).
   *
   * @param cache the cache to extend, empty or holding {@code past} positions
   * @param inputIds int64 {@code [B, T]}, the tokens to feed, left-padded
   * @param attentionMask {@code [B, past + T]}: the cached positions' mask (0 may appear anywhere
   *     there, for masked-out positions) then the new tokens'; every row's last column must be 1
   */
  public GenerationResult generate(
      KvCache cache, NDArray inputIds, NDArray attentionMask, GenerationConfig config) {
    long[][] prompt = PromptRows.ids(inputIds);
    PromptRows.requireContinuation(attentionMask, inputIds.getShape(), cache.length());
    int batch = prompt.length;
    DecodeState state =
        new DecodeState(
            batch,
            config.maxNewTokens(),
            config.stopTokenIds(model.info()),
            config.padTokenId(model.info()));
    SplittableRandom[] rows = rowStreams(config, batch);
    List<NDArray> raw = new ArrayList<>();
    List<NDArray> sampled = new ArrayList<>();
    try (NDManager gen = inputIds.getManager().newSubManager()) {
      NDArray next = copy(inputIds, gen);
      NDArray mask = copy(attentionMask, gen);
      for (int step = 0; step < config.maxNewTokens(); step++) {
        boolean done;
        try (NDManager s = gen.newSubManager()) {
          next.attach(s);
          mask.attach(s);
          NDArray logits = model.forward(next, mask, cache);
          logits = logits.get(":, " + (logits.getShape().get(1) - 1) + ", :");
          done = state.record(choose(logits, config, rows, raw, sampled, gen));
          if (done || step + 1 == config.maxNewTokens()) {
            break;
          }
          next = gen.create(state.lastTokens()).reshape(batch, 1);
          mask = mask.concat(s.ones(new Shape(batch, 1), DataType.INT64), 1);
          mask.attach(gen);
        }
      }
      if (!config.returnLogprobs()) {
        return state.result(prompt, null, null);
      }
      float[][] rawRows = state.rowsOfSteps(readSteps(raw));
      float[][] samplingRows =
          config.isGreedy()
              ? new float[batch][state.steps()]
              : state.rowsOfSteps(readSteps(sampled));
      return state.result(prompt, rawRows, samplingRows);
    }
  }

  /**
   * Chooses the next tokens from the last position's logits {@code [B, V]} and returns them (the
   * step's one readback); when log-probabilities are wanted, keeps the chosen tokens' raw and
   * sampling log-probabilities {@code [B, 1]} in {@code keep}'s manager.
   */
  private static long[] choose(
      NDArray logits,
      GenerationConfig config,
      SplittableRandom[] rows,
      List<NDArray> raw,
      List<NDArray> sampled,
      NDManager keep) {
    NDArray tokens;
    NDArray warped = null;
    if (config.isGreedy()) {
      tokens = logits.argMax(-1);
    } else {
      warped = Sampler.warp(logits, config);
      tokens = Sampler.drawInverseCdf(warped, Sampler.uniforms(logits.getManager(), rows));
    }
    if (config.returnLogprobs()) {
      NDArray index = tokens.reshape(-1, 1);
      raw.add(kept(logits.logSoftmax(-1).gather(index, 1), keep));
      if (warped != null) {
        sampled.add(kept(warped.logSoftmax(-1).gather(index, 1), keep));
      }
    }
    return tokens.toLongArray();
  }

  private static NDArray kept(NDArray a, NDManager keep) {
    a.attach(keep);
    return a;
  }

  /** The per-step columns {@code [B, 1]} read back at once, row-major {@code [B * n]}. */
  private static float[] readSteps(List<NDArray> columns) {
    return NDArrays.concat(new NDList(columns), 1).toFloatArray();
  }

  private static NDArray copy(NDArray a, NDManager into) {
    NDArray c = a.toType(DataType.INT64, true);
    c.attach(into);
    return c;
  }

  /**
   * Row b's stream: seeded with the config's row seed b when it has row seeds, else the b-th split
   * of a generator seeded with its seed, whatever the batch size.
   */
  private static SplittableRandom[] rowStreams(GenerationConfig config, int batch) {
    SplittableRandom[] rows = new SplittableRandom[batch];
    if (config.rowSeeds() != null) {
      if (config.rowSeeds().size() != batch) {
        throw new IllegalArgumentException(
            "the config has "
                + config.rowSeeds().size()
                + " row seeds for a batch of "
                + batch
                + " rows");
      }
      for (int b = 0; b < batch; b++) {
        rows[b] = new SplittableRandom(config.rowSeeds().get(b));
      }
      return rows;
    }
    SplittableRandom root = new SplittableRandom(config.seed());
    for (int b = 0; b < batch; b++) {
      rows[b] = root.split();
    }
    return rows;
  }
}
