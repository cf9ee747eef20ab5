package ai.attune.grzo.api;

import ai.attune.models.text.TextTokenizer;

/**
 * Turns one of the user's examples into the token ids of one row: what the model reads for it. The
 * trainer left-pads the rows of a batch with the model's pad id, so the last position of every row
 * is its last token ({@link ExampleBatch#lastLogits}).
 *
 * <p>Lifecycle: a plain function, called for every example of every batch (training and
 * evaluation); it must give the same ids for the same example each time (a resumed run re-encodes
 * its batches). Add a BOS token yourself where the model expects one ({@code tokenizer}'s {@code
 * encode} adds none).
 *
 * @param <E> the type of the user's examples
 */
@FunctionalInterface
public interface ExampleEncoder<E> {

  /** The token ids of {@code example}: at least one, each in {@code [0, vocab)}. */
  long[] encode(E example, TextTokenizer tokenizer);
}
