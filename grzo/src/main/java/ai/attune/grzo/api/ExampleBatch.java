package ai.attune.grzo.api;

import ai.attune.grzo.tasks.Forward;
import ai.attune.models.LanguageModel;
import ai.attune.models.text.TextTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * A batch of the user's examples as the model reads them, handed to an {@link ExampleLoss}: row
 * {@code i} of {@link #inputIds()} is {@code examples().get(i)} encoded by the {@link
 * ExampleEncoder} and left-padded. For GRZO's fused two-sided pass the batch holds two copies of
 * the step's examples (rows {@code 0..B-1} then {@code B..2B-1}); a loss that treats each row on
 * its own needs no care for that.
 *
 * <p>Lifecycle: built by the trainer for one forward pass; its arrays, and every array made from
 * them, belong to {@link #manager()}, which is closed when the pass ends.
 *
 * @param <E> the type of the user's examples
 */
public final class ExampleBatch<E> {
  private final List<E> examples;
  private final NDArray inputIds;
  private final NDArray attentionMask;
  private final TextTokenizer tokenizer;

  ExampleBatch(List<E> examples, NDArray inputIds, NDArray attentionMask, TextTokenizer tokenizer) {
    this.examples = List.copyOf(examples);
    this.inputIds = inputIds;
    this.attentionMask = attentionMask;
    this.tokenizer = tokenizer;
  }

  /** The examples, one per row, in row order. */
  public List<E> examples() {
    return examples;
  }

  /** The number of rows (= examples). */
  public int size() {
    return examples.size();
  }

  /** Token ids, int64 {@code [size, T]}, left-padded with the model's pad id. */
  public NDArray inputIds() {
    return inputIds;
  }

  /** 1 at tokens, 0 at padding, int64 {@code [size, T]}. */
  public NDArray attentionMask() {
    return attentionMask;
  }

  /** The manager of this pass: arrays made here are freed when the pass ends. */
  public NDManager manager() {
    return inputIds.getManager();
  }

  /** The model's tokenizer (to look up the ids of label words, say). */
  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  /** The model's logits at every position, float32 {@code [size, T, vocab]}. */
  public NDArray logits(LanguageModel model) {
    return Forward.of(model).logits(inputIds, attentionMask);
  }

  /**
   * The model's logits at each row's last token (the next-token prediction after the whole row),
   * float32 {@code [size, vocab]}.
   */
  public NDArray lastLogits(LanguageModel model) {
    return logits(model).get(":, -1, :");
  }
}
