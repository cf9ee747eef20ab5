package ai.attune.grzo.bench;

import ai.attune.grzo.tasks.Forward;
import ai.attune.models.SeparableHeadMaskedLM;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;

/**
 * The masked-LM workload of the benchmark: a fixed batch of random sentences in the prompt form
 * GRZO and MeZO fine-tune RoBERTa with ({@code <s> words <mask> </s>}, the mask one token before
 * the end), each scored by the cross-entropy of a random target word at the mask. Through the
 * tasks' own {@link Forward}, so the MLM head runs at the mask position only, as in training.
 */
final class RandomSlotLoss extends BenchBatch {
  /** Ids below this are RoBERTa's specials ({@code <s>}, {@code <pad>}, {@code </s>}, unk). */
  private static final int FIRST_WORD = 4;

  private final Forward forward;
  private final long[] target;
  private final NDArray targets;
  private final NDArray targets2;

  /**
   * @param bos the beginning-of-sequence id, {@code eos} the end's; the mask is the vocabulary's
   *     last id, the words and targets are drawn from the ids between the specials and the mask
   */
  RandomSlotLoss(
      SeparableHeadMaskedLM model,
      NDManager parent,
      int batch,
      int length,
      int bos,
      int eos,
      long seed) {
    super(parent, prompts(model.info().vocabSize(), batch, length, bos, eos, seed));
    this.forward = Forward.of(model);
    SplittableRandom rng = new SplittableRandom(~seed);
    target = new long[batch];
    for (int i = 0; i < batch; i++) {
      target[i] = word(rng, model.info().vocabSize());
    }
    targets = manager().create(target).reshape(batch, 1, 1);
    targets2 = targets.concat(targets, 0);
  }

  private static long[][] prompts(int vocab, int batch, int length, int bos, int eos, long seed) {
    if (length < 3 || vocab <= FIRST_WORD + 1) {
      throw new IllegalArgumentException(
          "a masked-LM benchmark needs --seq >= 3 and --vocab > "
              + (FIRST_WORD + 1)
              + ", got "
              + length
              + " and "
              + vocab);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    long[][] tokens = new long[batch][length];
    for (long[] row : tokens) {
      for (int t = 0; t < length; t++) {
        row[t] =
            t == 0 ? bos : t == length - 2 ? vocab - 1 : t == length - 1 ? eos : word(rng, vocab);
      }
    }
    return tokens;
  }

  /** A word id: neither a special nor the mask. */
  private static long word(SplittableRandom rng, int vocab) {
    return FIRST_WORD + rng.nextInt(vocab - 1 - FIRST_WORD);
  }

  /** Each example's target id at the mask. */
  long[] targetIds() {
    return target.clone();
  }

  /** The mask's position in every row. */
  int slot() {
    return rowTokens()[0].length - 2;
  }

  @Override
  NDArray losses(NDArray x, int copies) {
    int slot = slot();
    NDArray logp = forward.logits(x, x.onesLike(), slot, slot + 1).logSoftmax(-1); // [rows, 1, V]
    return logp.gather(copies == 1 ? targets : targets2, 2).reshape(-1).neg();
  }
}
